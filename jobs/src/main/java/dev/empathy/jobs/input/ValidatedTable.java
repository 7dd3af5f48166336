package dev.empathy.jobs.input;

import dev.empathy.lib.contract.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table after validation: the used rows with the contract's columns in their used types
 * (text codes trimmed and lower-cased), and the ledger.
 */
public record ValidatedTable(TableSpec spec, Dataset<Row> used, TableLedger ledger) {
}
