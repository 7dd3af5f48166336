package dev.empathy.lib.contract;

import java.util.List;
import java.util.Objects;

/**
 * One column of an input table: its snake_case name, kind, whether the column must exist in
 * the file, and the row rules its values must meet.
 */
public record ColumnSpec(String name, Kind kind, boolean required, List<Rule> rules) {

    public ColumnSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
        rules = List.copyOf(rules);
    }

    static ColumnSpec required(String name, Kind kind, Rule... rules) {
        return new ColumnSpec(name, kind, true, List.of(rules));
    }

    static ColumnSpec optional(String name, Kind kind, Rule... rules) {
        return new ColumnSpec(name, kind, false, List.of(rules));
    }
}
