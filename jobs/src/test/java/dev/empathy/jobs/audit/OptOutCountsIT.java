package dev.empathy.jobs.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.audit.Audit.OptOutRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link OptOut#compute}, which joins only the opted-out customers' ids, gives the rows and notes of
 * the route it replaced (every customer's flag joined, {@link #joinAll}, copied here as it was:
 * its counts, from which the rows follow), with and without the customers and the conversations.
 *
 * <p>The fixture, 2025Q1 and 2025Q2 (id customer quarter documented; matches when searched):
 * <pre>
 * customer flag:  c1 true, c2 true, c3 false, c4 null, c5 true (no contact); c9 has no row
 * p1 c1 2025Q1 1  matches 2      q1 c1 2025Q2 0  matches 0
 * p2 c3 2025Q1 1  -              q2 c2 2025Q2 1  matches 1
 * p3 c4 2025Q1 0  matches 0      q3 c3 2025Q2 0  matches 3
 * p4 c9 2025Q1 1  matches 1      q4 c4 2025Q2 1  -
 *                                q5 c9 2025Q2 0  matches 0
 *                                q6 c2 2025Q2 1  -
 * </pre>
 * and x1, a searched conversation of no contact. By hand, 2025Q2: opted out q1 q2 q6, documented
 * 2 / 3, searched q1 q2 with a phrase 1 / 2; others q3 q4 q5, documented 1 / 3, searched q3 q5,
 * 1 / 2. 2025Q1: opted out p1, 1 / 1, phrase 1 / 1; others p2 p3 p4, 2 / 3, searched p3 p4, 1 / 2.
 */
class OptOutCountsIT {

    static final Quarter BEFORE = new Quarter(2025, 1);
    static final Quarter NOW = new Quarter(2025, 2);

    static Dataset<Row> contacts(SparkSession spark) {
        StructType schema = new StructType().add("interaction_id", DataTypes.StringType, false)
                .add("customer_id", DataTypes.StringType, false).add("quarter", DataTypes.StringType, false)
                .add("documented", DataTypes.IntegerType, false);
        return spark.createDataFrame(List.of(row("p1", "c1", "2025Q1", 1), row("p2", "c3", "2025Q1", 1),
                row("p3", "c4", "2025Q1", 0), row("p4", "c9", "2025Q1", 1), row("q1", "c1", "2025Q2", 0),
                row("q2", "c2", "2025Q2", 1), row("q3", "c3", "2025Q2", 0), row("q4", "c4", "2025Q2", 1),
                row("q5", "c9", "2025Q2", 0), row("q6", "c2", "2025Q2", 1)), schema).repartition(3);
    }

    static Dataset<Row> customers(SparkSession spark) {
        StructType schema = new StructType().add("customer_id", DataTypes.StringType, false)
                .add("segment", DataTypes.StringType, false).add("emotional_opt_out", DataTypes.BooleanType, true);
        return spark.createDataFrame(List.of(row("c1", "retail", true), row("c2", "retail", true),
                row("c3", "smb", false), row("c4", "smb", null), row("c5", "retail", true)), schema);
    }

    static Dataset<Row> perConversation(SparkSession spark) {
        StructType schema = new StructType().add("interaction_id", DataTypes.StringType, false)
                .add("matches", DataTypes.LongType, true);
        return spark.createDataFrame(List.of(row("p1", 2L), row("p3", 0L), row("p4", 1L), row("q1", 0L),
                row("q2", 1L), row("q3", 3L), row("q5", 0L), row("x1", 4L)), schema);
    }

    static Row row(Object... values) {
        return RowFactory.create(values);
    }

    /** The counts of the route before, as it was: every customer's flag joined to every contact. */
    static Map<String, long[]> joinAll(Dataset<Row> contacts, Optional<Dataset<Row>> customers,
                                       Optional<Dataset<Row>> perConversation) {
        Dataset<Row> d = contacts.select(col("interaction_id"), col("customer_id"), col("quarter"),
                col("documented"));
        Column optedOut = lit(false);
        if (customers.isPresent()) {
            Dataset<Row> flags = customers.get().select(col("customer_id"),
                    col("emotional_opt_out").as("opt_out"));
            d = d.join(flags, "customer_id", "left");
            optedOut = col("opt_out").equalTo(true);
        }
        Column searched = lit(false);
        Column withPhrase = lit(false);
        if (perConversation.isPresent()) {
            d = d.join(perConversation.get(), "interaction_id", "left");
            searched = col("matches").isNotNull();
            withPhrase = col("matches").gt(0);
        }
        Map<String, long[]> counts = new HashMap<>();
        for (Row r : d.groupBy(col("quarter"), when(optedOut, OptOut.OPTED_OUT).otherwise(OptOut.OTHERS).as("group"))
                .agg(count(lit(1)), sum(col("documented").cast("long")), sum(when(searched, 1L).otherwise(0L)),
                        sum(when(withPhrase, 1L).otherwise(0L)))
                .collectAsList()) {
            counts.put(r.getString(0) + "|" + r.getString(1),
                    new long[] {r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)});
        }
        return counts;
    }

    /** The rows' counts as the old route's map: contacts and with-empathy per measure and group. */
    static String countsOf(List<OptOutRow> rows) {
        StringBuilder out = new StringBuilder();
        rows.forEach(r -> out.append(r.quarter()).append(' ').append(r.measure()).append(' ').append(r.group())
                .append(' ').append(r.contacts()).append('/').append(r.withEmpathy()).append('\n'));
        return out.toString();
    }

    static String countsOf(Map<String, long[]> counts, boolean phrases) {
        StringBuilder out = new StringBuilder();
        for (Quarter q : List.of(BEFORE, NOW)) {
            long[] opted = counts.getOrDefault(q + "|" + OptOut.OPTED_OUT, new long[4]);
            long[] others = counts.getOrDefault(q + "|" + OptOut.OTHERS, new long[4]);
            append(out, q, OptOut.DOCUMENTED, opted[0], opted[1], others[0], others[1]);
            if (phrases) {
                append(out, q, OptOut.PHRASE, opted[2], opted[3], others[2], others[3]);
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, Quarter q, String measure, long n1, long x1, long n0, long x0) {
        out.append(q).append(' ').append(measure).append(' ').append(OptOut.OPTED_OUT).append(' ').append(n1)
                .append('/').append(x1).append('\n');
        out.append(q).append(' ').append(measure).append(' ').append(OptOut.OTHERS).append(' ').append(n0)
                .append('/').append(x0).append('\n');
        out.append(q).append(' ').append(measure).append(' ').append(OptOut.DIFFERENCE).append(' ')
                .append(n1 + n0).append('/').append(x1 + x0).append('\n');
    }

    @Test
    void theCountsAreTheJoinOfEveryCustomersByHand() {
        SparkSession spark = SharedSpark.session();
        List<String> notes = new ArrayList<>();
        List<OptOutRow> rows = OptOut.compute(contacts(spark), Optional.of(customers(spark)),
                Optional.of(perConversation(spark)), NOW, BEFORE, notes);
        String byHand = """
                2025Q1 documented_empathy opted_out 1/1
                2025Q1 documented_empathy others 3/2
                2025Q1 documented_empathy difference 4/3
                2025Q1 empathy_phrase opted_out 1/1
                2025Q1 empathy_phrase others 2/1
                2025Q1 empathy_phrase difference 3/2
                2025Q2 documented_empathy opted_out 3/2
                2025Q2 documented_empathy others 3/1
                2025Q2 documented_empathy difference 6/3
                2025Q2 empathy_phrase opted_out 2/1
                2025Q2 empathy_phrase others 2/1
                2025Q2 empathy_phrase difference 4/2
                """;
        assertEquals(byHand, countsOf(rows));
        assertEquals(byHand, countsOf(joinAll(contacts(spark), Optional.of(customers(spark)),
                Optional.of(perConversation(spark))), true));
        assertEquals(List.of(), notes);
    }

    @Test
    void everyCombinationOfTablesGivesTheOldCounts() {
        SparkSession spark = SharedSpark.session();
        for (boolean withCustomers : new boolean[] {true, false}) {
            for (boolean withConversations : new boolean[] {true, false}) {
                Optional<Dataset<Row>> customers = withCustomers ? Optional.of(customers(spark)) : Optional.empty();
                Optional<Dataset<Row>> conversations = withConversations ? Optional.of(perConversation(spark))
                        : Optional.empty();
                List<OptOutRow> rows = OptOut.compute(contacts(spark), customers, conversations, NOW, BEFORE,
                        new ArrayList<>());
                assertEquals(countsOf(joinAll(contacts(spark), customers, conversations), withConversations),
                        countsOf(rows), "customers " + withCustomers + ", conversations " + withConversations);
            }
        }
    }

    /** No opted-out customer has a contact: every contact is among the others, and a note says so. */
    @Test
    void noOptedOutContactIsNoted() {
        SparkSession spark = SharedSpark.session();
        Dataset<Row> customers = customers(spark).withColumn("emotional_opt_out",
                when(col("customer_id").equalTo("c5"), lit(true)).otherwise(col("emotional_opt_out").and(lit(false))));
        List<String> notes = new ArrayList<>();
        List<OptOutRow> rows = OptOut.compute(contacts(spark), Optional.of(customers),
                Optional.of(perConversation(spark)), NOW, BEFORE, notes);
        assertEquals(countsOf(joinAll(contacts(spark), Optional.of(customers), Optional.of(perConversation(spark))),
                true), countsOf(rows));
        assertEquals(1, notes.size(), notes.toString());
    }
}
