package dev.empathy.lib.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One input table of the contract.
 *
 * @param name          folder (or {@code <name>.parquet} file) under the input root
 * @param required      whether a run can go on without it
 * @param columns       the contract's columns, in contract order (rules are checked in this order)
 * @param uniqueKey     columns that identify a row; of rows sharing a key, the first in
 *                      {@code keepFirstBy} order is kept and the others are rejected as {@code duplicate_id}
 * @param keepFirstBy   the order that picks the row kept among duplicates (ascending, nulls last)
 * @param referencesInteraction whether {@code interaction_id} must match a used interaction
 */
public record TableSpec(
        String name,
        boolean required,
        List<ColumnSpec> columns,
        List<String> uniqueKey,
        List<String> keepFirstBy,
        boolean referencesInteraction) {

    public TableSpec {
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
        uniqueKey = List.copyOf(uniqueKey);
        keepFirstBy = List.copyOf(keepFirstBy);
    }

    public Optional<ColumnSpec> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }
}
