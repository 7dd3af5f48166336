package dev.empathy.lib.survival;

import java.util.Locale;

/** How a Cox model treats tied event times: Efron's approximation (R's default) or Breslow's. */
public enum Ties {
    EFRON, BRESLOW;

    public static Ties parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
