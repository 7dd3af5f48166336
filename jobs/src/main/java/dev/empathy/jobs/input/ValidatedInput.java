package dev.empathy.jobs.input;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every input table after validation, and the optional tables that were not there. */
public record ValidatedInput(Map<String, ValidatedTable> tables, List<String> absent) {

    public ValidatedInput {
        tables = Map.copyOf(tables);
        absent = List.copyOf(absent);
    }

    public Optional<ValidatedTable> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }
}
