package dev.empathy.lib.survival;

/**
 * One distinct time of a Kaplan-Meier curve: the number at risk just before it, the events and
 * censorings at it, the survival estimate after it, its Greenwood standard error and the
 * log-transformed confidence interval (R's {@code survfit} default).
 */
public record SurvivalRow(String group, double time, long atRisk, long events, long censored, double survival,
                          double stdError, double ciLow, double ciHigh) {
}
