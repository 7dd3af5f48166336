package dev.empathy.lib.text;

import java.util.Locale;

/**
 * The language of a turn: its interaction's {@code language} tag (BCP 47, such as {@code pt-BR},
 * {@code de_DE}, {@code ja}), reduced to the primary subtag that decides which scorer applies, so
 * {@code pt-BR} and {@code pt-PT} are both {@code pt}.
 */
public final class LanguageTag {

    private LanguageTag() {
    }

    /**
     * The primary subtag, trimmed and lower-cased ({@link Locale#ROOT}, so {@code TR} is not
     * turned into a dotless i), or {@code null} when the language is unknown: a null or blank tag,
     * or {@code und} (BCP 47's "undetermined"). Subtags may be separated by {@code -} or, as in
     * Java and POSIX locale names, {@code _}.
     */
    public static String primary(String tag) {
        if (tag == null) {
            return null;
        }
        String t = tag.strip();
        int cut = 0;
        while (cut < t.length() && t.charAt(cut) != '-' && t.charAt(cut) != '_') {
            cut++;
        }
        String primary = t.substring(0, cut).toLowerCase(Locale.ROOT);
        return primary.isEmpty() || primary.equals("und") ? null : primary;
    }
}
