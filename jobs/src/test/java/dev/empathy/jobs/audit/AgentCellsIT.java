package dev.empathy.jobs.audit;

import static dev.empathy.jobs.spark.Deterministic.exactSum;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link AuditCube#agentCells}, which sums the contacts per agent and combination before counting
 * them into the cube's 8 cells, gives every row and column of the one-level route it replaced
 * (each contact exploded into its 8 cells, {@link #oneLevel}, copied here as it was) bit for bit.
 *
 * <p>The fixture {@link #contacts}: four agents (a1, a2 in-house; a3, a4 outsourced) over 2025Q1
 * and 2025Q2, two regions and three channels, scores with many decimals (so that a sum of doubles
 * depends on its grouping, checked by {@link #theFixtureTellsRoundingPerAgentFromRoundingOnce}),
 * null scores, CSAT answers missing and present, and censored repeats; the hand rows below come
 * first:
 * <pre>
 * id  agent quarter region channel score  documented csat repeat_7d
 * h1  a1    2025Q1  emea   chat    66.1   1          5    0
 * h2  a1    2025Q1  emea   chat    null   0          null null
 * h3  a2    2025Q1  apac   voice   0.0    0          1    1
 * h4  a3    2025Q2  emea   email   100.0  1          4    0
 * h5  a4    2025Q2  apac   chat    null   1          null 1
 * </pre>
 */
class AgentCellsIT {

    static final StructType CONTACTS = new StructType()
            .add("interaction_id", DataTypes.StringType, false)
            .add("agent_id", DataTypes.StringType, false)
            .add("quarter", DataTypes.StringType, false)
            .add("region", DataTypes.StringType, false)
            .add("channel", DataTypes.StringType, false)
            .add("team_type", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, true)
            .add("documented", DataTypes.IntegerType, false)
            .add("csat", DataTypes.IntegerType, true)
            .add("repeat_7d", DataTypes.IntegerType, true);

    static final String[] AGENTS = {"a1", "a2", "a3", "a4"};
    static final String[] REGIONS = {"apac", "emea"};
    static final String[] CHANNELS = {"chat", "email", "voice"};

    static List<Row> contacts() {
        List<Row> rows = new ArrayList<>(List.of(
                contact("h1", "a1", "2025Q1", "emea", "chat", 66.1, 1, 5, 0),
                contact("h2", "a1", "2025Q1", "emea", "chat", null, 0, null, null),
                contact("h3", "a2", "2025Q1", "apac", "voice", 0.0, 0, 1, 1),
                contact("h4", "a3", "2025Q2", "emea", "email", 100.0, 1, 4, 0),
                contact("h5", "a4", "2025Q2", "apac", "chat", null, 1, null, 1)));
        Random r = new Random(20261128);
        for (int i = 0; i < 3000; i++) {
            String agent = AGENTS[r.nextInt(AGENTS.length)];
            // Scores of the QA scale with up to 6 decimals: few are exact doubles.
            Double score = r.nextInt(10) == 0 ? null : r.nextInt(100_000_001) / 1e6;
            Integer csat = r.nextInt(3) == 0 ? null : 1 + r.nextInt(5);
            Integer repeat = r.nextInt(8) == 0 ? null : r.nextInt(2);
            rows.add(contact("g" + i, agent, r.nextBoolean() ? "2025Q1" : "2025Q2", REGIONS[r.nextInt(REGIONS.length)],
                    CHANNELS[r.nextInt(CHANNELS.length)], score, r.nextInt(2), csat, repeat));
        }
        return rows;
    }

    static Row contact(String id, String agent, String quarter, String region, String channel, Double score,
                       int documented, Integer csat, Integer repeat) {
        String team = agent.equals("a1") || agent.equals("a2") ? "in_house" : "outsourced";
        return RowFactory.create(id, agent, quarter, region, channel, team, score, documented, csat, repeat);
    }

    /** The route before the per-agent sums, as it was: every contact exploded into its 8 cells. */
    static Dataset<Row> oneLevel(Dataset<Row> contacts) {
        Column none = lit(null).cast("string");
        List<Column> sets = new ArrayList<>();
        for (int mask = 0; mask < 8; mask++) {
            sets.add(struct(((mask & 4) == 0 ? col("region") : none).as("region"),
                    ((mask & 2) == 0 ? col("channel") : none).as("channel"),
                    ((mask & 1) == 0 ? col("team_type") : none).as("team_type")));
        }
        Column scored = col("score").isNotNull();
        Column answered = col("csat").isNotNull();
        return contacts.withColumn("cell", explode(array(sets.toArray(Column[]::new))))
                .groupBy(col("quarter"), col("cell.region").as("region"), col("cell.channel").as("channel"),
                        col("cell.team_type").as("team_type"), col("agent_id"))
                .agg(count(lit(1)).as("contacts"), count(col("score")).as("n"),
                        exactSum(when(scored, col("score").minus(AuditCube.CENTRE)).otherwise(0.0)).as("s"),
                        sum(col("documented").cast("long")).as("documented"),
                        count(col("csat")).as("answers"), sum(when(answered, col("csat")).otherwise(0)).as("csat_sum"),
                        sum(when(col("csat").geq(4), 1L).otherwise(0L)).as("top_box"),
                        count(col("repeat_7d")).as("repeat_known"),
                        sum(when(col("repeat_7d").equalTo(1), 1L).otherwise(0L)).as("repeats"));
    }

    @Test
    void everyRowAndColumnHasTheBitsOfTheOneLevelRoute() {
        Dataset<Row> data = SharedSpark.session().createDataFrame(contacts(), CONTACTS).repartition(3);
        assertSameBits(oneLevel(data), AuditCube.agentCells(data), 0);
    }

    /**
     * Scores the contract rejects (NaN, infinite) take the fallback, Spark's double sum, on both
     * routes: NaN where a NaN or both infinities meet, the infinity where one meets finite scores.
     */
    @Test
    void scoresWithoutADecimalFallBackAlike() {
        List<Row> rows = new ArrayList<>(contacts().subList(0, 5));
        rows.add(contact("n1", "a1", "2025Q1", "emea", "chat", Double.NaN, 0, null, null));
        rows.add(contact("n2", "a2", "2025Q1", "apac", "voice", Double.POSITIVE_INFINITY, 0, null, null));
        rows.add(contact("n3", "a2", "2025Q1", "emea", "voice", Double.NEGATIVE_INFINITY, 0, null, null));
        rows.add(contact("n4", "a3", "2025Q2", "emea", "email", Double.POSITIVE_INFINITY, 1, 2, 0));
        Dataset<Row> data = SharedSpark.session().createDataFrame(rows, CONTACTS).repartition(2);
        List<Row> got = sorted(AuditCube.agentCells(data));
        assertSameBits(oneLevel(data), AuditCube.agentCells(data), 4);
        // a2's whole quarter holds both infinities: NaN; a3's quarter one infinity and 100: infinity.
        assertEquals(Double.NaN, cell(got, "2025Q1", null, null, null, "a2").<Double>getAs("s"));
        assertEquals(Double.POSITIVE_INFINITY, cell(got, "2025Q2", null, null, null, "a3").<Double>getAs("s"));
    }

    /**
     * The fixture can tell the routes apart: per-agent sums rounded to doubles and then added
     * differ from the exact sum rounded once in some cell, so the bitwise comparison above would
     * catch a route that rounded early.
     */
    @Test
    void theFixtureTellsRoundingPerAgentFromRoundingOnce() {
        Dataset<Row> data = SharedSpark.session().createDataFrame(contacts(), CONTACTS);
        Dataset<Row> perCombination = data.groupBy(col("quarter"), col("region"), col("channel"),
                        col("team_type"), col("agent_id"))
                .agg(exactSum(when(col("score").isNotNull(), col("score").minus(AuditCube.CENTRE)).otherwise(0.0))
                        .as("s"));
        Dataset<Row> early = perCombination.groupBy(col("quarter"), col("agent_id")).agg(exactSum(col("s")).as("s"));
        List<Row> once = sorted(oneLevel(data).filter(col("region").isNull().and(col("channel").isNull())
                .and(col("team_type").isNull())).select(col("quarter"), col("agent_id"), col("s")));
        List<Row> rounded = sorted(early.select(col("quarter"), col("agent_id"), col("s")));
        assertEquals(once.size(), rounded.size());
        long differ = 0;
        for (int i = 0; i < once.size(); i++) {
            if (Double.doubleToLongBits(once.get(i).getDouble(2)) != Double.doubleToLongBits(rounded.get(i).getDouble(2))) {
                differ++;
            }
        }
        assertTrue(differ > 0, "every agent's quarter sum came out the same rounded early");
    }

    /** Equal schemas (names and types) and, row by row in key order, equal values; doubles by their bits. */
    static void assertSameBits(Dataset<Row> expected, Dataset<Row> actual, int atLeastNonFinite) {
        assertEquals(Arrays.toString(types(expected)), Arrays.toString(types(actual)));
        List<Row> e = sorted(expected);
        List<Row> a = sorted(actual);
        assertEquals(e.size(), a.size());
        assertTrue(e.size() > 8 * AGENTS.length, "rows: " + e.size());
        int nonFinite = 0;
        for (int i = 0; i < e.size(); i++) {
            for (int j = 0; j < e.get(i).size(); j++) {
                Object x = e.get(i).get(j);
                Object y = a.get(i).get(j);
                String where = String.format(Locale.ROOT, "row %s, column %s", e.get(i), expected.columns()[j]);
                if (x instanceof Double dx) {
                    assertEquals(Double.doubleToLongBits(dx), Double.doubleToLongBits((Double) y), where + ": " + y);
                    nonFinite += Double.isFinite(dx) ? 0 : 1;
                } else {
                    assertEquals(x, y, where);
                }
            }
        }
        assertTrue(nonFinite >= atLeastNonFinite, "non-finite sums: " + nonFinite);
    }

    static String[] types(Dataset<Row> d) {
        return Arrays.stream(d.schema().fields()).map(f -> f.name() + ":" + f.dataType().simpleString())
                .toArray(String[]::new);
    }

    /** The rows by their key columns (those before {@code contacts}), a margin (null) first. */
    static List<Row> sorted(Dataset<Row> d) {
        List<Row> rows = new ArrayList<>(d.collectAsList());
        List<String> names = Arrays.asList(d.columns());
        int keys = names.contains("contacts") ? names.indexOf("contacts") : names.size() - 1;
        Comparator<Row> order = (p, q) -> 0;
        for (int k = 0; k < keys; k++) {
            int i = k;
            order = order.thenComparing(row -> row.isNullAt(i) ? null : row.getString(i),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
        }
        rows.sort(order);
        return rows;
    }

    static Row cell(List<Row> rows, String quarter, String region, String channel, String team, String agent) {
        return rows.stream().filter(r -> quarter.equals(r.getAs("quarter")) && agent.equals(r.getAs("agent_id"))
                        && java.util.Objects.equals(region, r.getAs("region"))
                        && java.util.Objects.equals(channel, r.getAs("channel"))
                        && java.util.Objects.equals(team, r.getAs("team_type")))
                .findFirst().orElseThrow();
    }
}
