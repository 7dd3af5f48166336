package dev.empathy.jobs.input;

import java.util.Map;
import java.util.TreeMap;

/**
 * The row ledger of one input table: every row read is either used or rejected with a reason,
 * and {@code rowsRead == rowsUsed + rowsRejected}; the reasons add up to {@code rowsRejected}.
 * A row that breaks several rules is counted once, under the first reason (contract column
 * order, then {@code unknown_interaction}, then {@code duplicate_id}).
 */
public record TableLedger(String table, long rowsRead, long rowsUsed, long rowsRejected,
                          Map<String, Long> rejectedByReason) {

    public TableLedger {
        rejectedByReason = java.util.Collections.unmodifiableMap(new TreeMap<>(rejectedByReason));
        long sum = rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
        if (rowsRead != rowsUsed + rowsRejected || sum != rowsRejected) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "table %s: the row ledger does not add up: read %d, used %d, rejected %d, reasons sum to %d",
                    table, rowsRead, rowsUsed, rowsRejected, sum));
        }
    }
}
