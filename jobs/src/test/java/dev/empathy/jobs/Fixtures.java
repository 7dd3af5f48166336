package dev.empathy.jobs;

import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.Contract;
import dev.empathy.lib.contract.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Tiny named input tables for tests: each row starts from a valid row of its table and
 * overrides a few columns. Written with Spark, in the contract's own types.
 */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private Fixtures() {
    }

    public static Map<String, Object> interaction(String id, Object... overrides) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("interaction_id", id);
        row.put("customer_id", "c1");
        row.put("agent_id", "a1");
        row.put("started_at", T0);
        row.put("channel", "chat");
        row.put("region", "emea");
        row.put("team_type", "in_house");
        row.put("contact_reason", "billing");
        row.put("handle_seconds", 300.0);
        row.put("resolved", true);
        row.put("resolution_hours", 1.5);
        row.put("empathy_score", 70.0);
        row.put("empathy_documented", true);
        row.put("escalated", false);
        row.put("language", "en");
        row.put("is_public", false);
        row.put("audience_reach", null);
        row.put("first_response_minutes", 2.0);
        return override(row, overrides);
    }

    public static Map<String, Object> csat(String interactionId, Object... overrides) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("interaction_id", interactionId);
        row.put("csat", 4);
        row.put("responded_at", T0.plusSeconds(7200));
        return override(row, overrides);
    }

    /**
     * A row of {@code turns}: turn {@code index} of interaction {@code id}, said by
     * {@code speaker} ({@code customer} or {@code agent}), its text and given sentiment (null when
     * none), no time.
     */
    public static Map<String, Object> turn(String id, int index, String speaker, String text, Double sentiment) {
        return row(Contract.TURNS, "interaction_id", id, "turn_index", index, "speaker", speaker, "text", text,
                "sentiment", sentiment);
    }

    public static Map<String, Object> row(TableSpec spec, Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        spec.columns().forEach(c -> row.put(c.name(), null));
        return override(row, keyValues);
    }

    private static Map<String, Object> override(Map<String, Object> row, Object... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            // Keys outside the contract become extra (string) columns, which the toolkit keeps and ignores.
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }

    /** Writes rows of a contract table under {@code root/<table>/} with Spark. */
    @SafeVarargs
    public static void write(Path root, TableSpec spec, Map<String, Object>... rows) {
        List<StructField> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ColumnSpec c : spec.columns()) {
            fields.add(DataTypes.createStructField(c.name(), sparkType(c), true));
            names.add(c.name());
        }
        for (Map<String, Object> r : rows) {
            for (String key : r.keySet()) {
                if (!names.contains(key)) {
                    fields.add(DataTypes.createStructField(key, DataTypes.StringType, true));
                    names.add(key);
                }
            }
        }
        List<Row> data = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Object[] values = new Object[names.size()];
            for (int i = 0; i < values.length; i++) {
                Object v = r.get(names.get(i));
                values[i] = v instanceof Instant t ? Timestamp.from(t) : v;
            }
            data.add(RowFactory.create(values));
        }
        SharedSpark.session().createDataFrame(data, new StructType(fields.toArray(StructField[]::new)))
                .coalesce(1).write().mode(SaveMode.Overwrite).parquet(root.resolve(spec.name()).toString());
    }

    private static DataType sparkType(ColumnSpec c) {
        return switch (c.kind()) {
            case STRING -> DataTypes.StringType;
            case DOUBLE -> DataTypes.DoubleType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
        };
    }

    /**
     * The rows of a CSV file the jobs wrote (no quoted commas), by the key columns joined with
     * {@code |}, in file order; each row maps its header's names to its cells.
     */
    public static Map<String, Map<String, String>> csv(Path folder, String file, String... key) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve(file));
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            List<String> k = new ArrayList<>();
            for (String c : key) {
                k.add(row.get(c));
            }
            rows.put(String.join("|", k), row);
        }
        return rows;
    }

    /** A cell of such a row as a number. */
    public static double d(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }
}
