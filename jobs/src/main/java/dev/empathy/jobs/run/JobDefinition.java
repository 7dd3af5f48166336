package dev.empathy.jobs.run;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A job as the registry knows it: its name, a description for the help, the options it takes
 * (declared once), and how to make the job from option values given as text.
 *
 * @param name        the job's name (its command)
 * @param description lines of help, first the one-sentence summary
 * @param options     its options
 * @param factory     from the options' values (every option present, as text) to the job; a value
 *                    that breaks a rule throws {@link IllegalArgumentException} naming the option
 */
public record JobDefinition(String name, List<String> description, List<JobOption> options,
                            Function<Map<String, String>, Job<?>> factory) {

    public JobDefinition {
        description = List.copyOf(description);
        options = List.copyOf(options);
    }

    /** The job with its default options. */
    public Job<?> withDefaults() {
        return create(Map.of());
    }

    /**
     * The job with {@code values} (option name to text) over the defaults.
     *
     * @throws IllegalArgumentException for an unknown option or a value that breaks a rule
     */
    public Job<?> create(Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>();
        for (JobOption o : options) {
            all.put(o.name(), o.defaultValue());
        }
        Map<String, String> given = new HashMap<>(values);
        for (String key : given.keySet()) {
            if (!all.containsKey(key)) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "%s has no option '%s'; its options: %s", name, key,
                        options.isEmpty() ? "none" : String.join(", ", all.keySet())));
            }
        }
        all.putAll(given);
        return factory.apply(all);
    }
}
