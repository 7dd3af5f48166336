package dev.empathy.jobs.run;

/**
 * One option of a job, declared once: the single-job command offers it as {@code --name}, and
 * {@code nightly} as {@code --option job.name=value}.
 *
 * @param name         the option's name without dashes, e.g. {@code windows}
 * @param label        what its value is, e.g. {@code DAYS}
 * @param defaultValue its default as typed on the command line
 * @param description  one sentence for the help
 */
public record JobOption(String name, String label, String defaultValue, String description) {
}
