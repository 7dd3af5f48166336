package dev.empathy.cli.corpus;

import dev.empathy.sample.Generator;
import dev.empathy.sample.GeneratorParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The edge-case corpus: small input data sets, each breaking one assumption the jobs make about
 * their input, written as Parquet by the engines real users have. Every case starts from the same
 * generated base (a few thousand rows, {@link #BASE_INTERACTIONS}), loaded into DuckDB, changed by
 * a few SQL statements and written back, by DuckDB's {@code COPY ... (FORMAT PARQUET)} unless the
 * case says otherwise. Nothing is checked in: the same seed and SQL give the same tables.
 *
 * <p>Each built case also says what validation must report: the rows written per table, and the
 * rows each rule must reject (planted rows are counted by an independent SQL query, not by hand).
 */
public final class EdgeCorpus implements AutoCloseable {

    /** Interactions in the generated base of most cases: enough for every model to have data. */
    public static final long BASE_INTERACTIONS = 2_000;
    /** The base of the 10,000-level {@code contact_reason} case, which needs at least 10,000 rows. */
    public static final long LARGE_BASE_INTERACTIONS = 10_500;
    public static final long SEED = 20250101L;

    /** Every table of the data contract, as the generator writes them. */
    public static final List<String> ALL_TABLES = List.of("interactions", "csat", "turns", "customers", "agents",
            "shifts", "qa_ratings", "agent_pulse");
    /**
     * The tables of a foreign data set, what another team exported, and the tables most cases
     * write: the jobs read only interactions, csat and customers, and every table validated costs
     * time. Cases that break an assumption about another table write every table.
     */
    public static final List<String> FOUR_TABLES = List.of("interactions", "csat", "customers", "agents");

    /** Who writes the Parquet files of a case. */
    public enum Writer {
        /** The generator's own files, copied as they are. */
        GENERATOR,
        /** DuckDB's {@code COPY}, one file per table unless the case writes its own. */
        DUCKDB,
        /** Spark, three part files per table, from the DuckDB tables. */
        SPARK
    }

    /** A custom write of one table: the {@code COPY} statements that write the files of its folder. */
    @FunctionalInterface
    public interface TableWrite {
        List<String> sql(Path tableFolder);
    }

    /**
     * One data set of the corpus.
     *
     * @param name          its folder, and the test's display name
     * @param breaks        the assumption it breaks, in words
     * @param base          interactions in the generated base it starts from
     * @param tables        the tables written (the others are absent)
     * @param edits         DuckDB statements run on the base tables before they are written
     * @param writer        who writes the files
     * @param writes        tables written by their own statements instead of the writer's default
     * @param expectedRejects table -> the SQL counting the rows each reason must reject, run after the edits
     */
    public record Case(String name, String breaks, long base, List<String> tables, List<String> edits, Writer writer,
                       Map<String, TableWrite> writes, Map<String, Map<String, String>> expectedRejects) {

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A case as written: its input root, the rows written per table (absent tables are not
     * listed) and the rejections validation must report, per table and reason (a table not listed
     * must reject nothing).
     */
    public record Built(Case spec, Path input, Map<String, Long> rowsWritten, Map<String, Map<String, Long>> rejects) {
    }

    private final Path root;
    private final Connection db;
    private final Map<Long, String> bases = new TreeMap<>();

    /** A corpus under {@code root}; the bases are generated on first use. */
    public EdgeCorpus(Path root) {
        this.root = root;
        try {
            this.db = DriverManager.getConnection("jdbc:duckdb:");
            execute(List.of("SET TimeZone = 'UTC'", "SET threads = 2"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB", e);
        }
    }

    // ---------------------------------------------------------------- the cases

    /** Every case, in the order the tests run them. */
    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(of("generator-as-is", "none: the generator's own files, every table (a control)")
                .tables(ALL_TABLES).writer(Writer.GENERATOR).done());
        c.add(of("foreign-four-tables", "every table is there: only interactions, csat, customers and agents, "
                + "as another team exported them with DuckDB (also the control of the DuckDB cases)").done());
        c.add(of("spark-written", "none: the base rewritten by Spark in three part files per table")
                .writer(Writer.SPARK).done());
        c.add(of("segment-nobody-churns", "every segment has churners: nobody in 'premium' ever churns")
                .edit("UPDATE customers SET churned_at = NULL WHERE segment = 'premium'").done());
        c.add(of("segment-everybody-churns", "some customers stay: everybody in 'student' churns, "
                + "a day after their last contact (or 30 days after signing up)")
                .edit("""
                        UPDATE customers SET churned_at = coalesce(
                            (SELECT max(i.started_at) FROM interactions i WHERE i.customer_id = customers.customer_id)
                                + INTERVAL 1 DAY,
                            signup_at + INTERVAL 30 DAY, TIMESTAMPTZ '2025-06-30 00:00:00+00')
                        WHERE segment = 'student'""").done());
        c.add(of("one-channel", "several channels: every contact is 'voice'")
                .edit("UPDATE interactions SET channel = 'voice'").done());
        c.add(of("csat-all-5", "CSAT varies: every answer is 5").edit("UPDATE csat SET csat = 5").done());
        c.add(of("no-documented-empathy", "some contacts document empathy: none does")
                .edit("UPDATE interactions SET empathy_documented = false").done());
        c.add(of("documented-everywhere", "some contacts do not document empathy: all do")
                .edit("UPDATE interactions SET empathy_documented = true").done());
        c.add(of("no-empathy-scores", "some contacts are QA scored: empathy_score is null on every interaction")
                .edit("UPDATE interactions SET empathy_score = NULL").done());
        c.add(of("one-agent", "several agents: one agent took every contact (agents keeps only them)")
                .edit("CREATE TEMP TABLE the_agent AS SELECT min(agent_id) AS agent_id FROM agents")
                .edit("UPDATE interactions SET agent_id = (SELECT agent_id FROM the_agent)")
                .edit("DELETE FROM agents WHERE agent_id <> (SELECT agent_id FROM the_agent)").done());
        c.add(of("one-customer", "several customers: one customer made every contact (customers keeps only them)")
                .edit("""
                        CREATE TEMP TABLE the_customer AS SELECT min(customer_id) AS customer_id FROM customers
                        WHERE customer_id IN (SELECT customer_id FROM interactions)""")
                .edit("UPDATE interactions SET customer_id = (SELECT customer_id FROM the_customer)")
                .edit("DELETE FROM customers WHERE customer_id <> (SELECT customer_id FROM the_customer)").done());
        c.add(of("ten-interactions", "enough rows: 10 interactions, each with a CSAT answer (their rows in the "
                + "other tables kept, customers and agents whole)")
                .edit("""
                        DELETE FROM interactions WHERE interaction_id NOT IN (
                            SELECT interaction_id FROM csat ORDER BY interaction_id LIMIT 10)""")
                .edits(pruneChildren()).done());
        c.add(of("equal-timestamps", "time varies: every timestamp of every table is 2025-06-02 09:00 UTC "
                + "(except shifts, whose end must follow their start)")
                .tables(ALL_TABLES)
                .edit("UPDATE interactions SET started_at = " + INSTANT)
                .edit("UPDATE csat SET responded_at = " + INSTANT + " WHERE responded_at IS NOT NULL")
                .edit("UPDATE turns SET \"at\" = " + INSTANT + " WHERE \"at\" IS NOT NULL")
                .edit("UPDATE customers SET signup_at = " + INSTANT + " WHERE signup_at IS NOT NULL")
                .edit("UPDATE customers SET churned_at = " + INSTANT + " WHERE churned_at IS NOT NULL")
                .edit("UPDATE agents SET hired_at = " + INSTANT + " WHERE hired_at IS NOT NULL")
                .edit("UPDATE agents SET empathy_trained_at = " + INSTANT + " WHERE empathy_trained_at IS NOT NULL")
                .edit("UPDATE qa_ratings SET rated_at = " + INSTANT + " WHERE rated_at IS NOT NULL")
                .edit("UPDATE agent_pulse SET surveyed_at = " + INSTANT).done());
        c.add(of("zero-resolution-times", "resolution takes time: every resolution_hours is 0")
                .edit("UPDATE interactions SET resolution_hours = 0 WHERE resolution_hours IS NOT NULL").done());
        c.add(of("magnitudes-extreme", "magnitudes are ordinary: a third of resolution_hours and handle_seconds "
                + "are 1e300, a third 1e-300 (both valid by the contract)")
                .edit(extreme("resolution_hours")).edit(extreme("handle_seconds")).done());
        c.add(of("magnitudes-huge", "magnitudes are ordinary: every resolution_hours and handle_seconds "
                + "is multiplied by 1e298 (a sum of squares overflows)")
                .edit("UPDATE interactions SET resolution_hours = resolution_hours * 1e298, "
                        + "handle_seconds = handle_seconds * 1e298").done());
        c.add(nanAndInfinity());
        c.add(awkwardText());
        c.add(formulaLikeText());
        c.add(of("empty-tables", "tables have rows: every table is written with its columns and 0 rows")
                .tables(ALL_TABLES)
                .edits(ALL_TABLES.stream().map(t -> "DELETE FROM " + t).toList()).done());
        c.add(of("empty-csat", "someone answered the survey: csat has its columns and 0 rows")
                .edit("DELETE FROM csat").done());
        c.add(allRejected());
        c.add(of("csat-all-rejected", "some answers are valid: every csat is 6")
                .edit("UPDATE csat SET csat = 6")
                .rejects("csat", "out_of_range_csat", "SELECT count(*) FROM csat").done());
        c.add(of("qa-ratings-equal-one-team", "QA raters disagree and a calibration team rates: every rating is "
                + "70, all by in-house raters")
                .tables(List.of("interactions", "qa_ratings"))
                .edit("UPDATE qa_ratings SET empathy_score = 70, rater_team = 'in_house'").done());
        c.add(duckDbTypes());
        c.add(of("duckdb-nanosecond-timestamps", "timestamps are in micro- or milliseconds: "
                + "TIMESTAMP_NS (nanoseconds, local) in interactions.started_at and turns.at, as DuckDB and pandas write them")
                .tables(List.of("interactions", "csat", "customers", "agents", "turns"))
                .write("interactions", folder -> List.of(copy("""
                        SELECT * REPLACE (started_at::TIMESTAMP::TIMESTAMP_NS AS started_at) FROM interactions""",
                        folder.resolve("part-0.parquet"), "")))
                .write("turns", folder -> List.of(copy("SELECT * REPLACE (\"at\"::TIMESTAMP::TIMESTAMP_NS AS \"at\") FROM turns",
                        folder.resolve("part-0.parquet"), ""))).done());
        c.add(of("shifts-apart-from-contacts", "contacts fall in their agents' shifts: every shift is moved a "
                + "year earlier, so no contact is in one (fatigue has shifts and pulses but nothing to model)")
                .tables(ALL_TABLES)
                .edit("UPDATE shifts SET start_at = start_at - INTERVAL 365 DAY, end_at = end_at - INTERVAL 365 DAY")
                .done());
        // Last: a job that runs out of memory on it stops the shared SparkContext, and every case after it would fail.
        c.add(of("contact-reason-10000-levels", "categorical controls have few levels: contact_reason has "
                + "10,000 levels over 10,500 interactions")
                .base(LARGE_BASE_INTERACTIONS)
                .edit("""
                        UPDATE interactions SET contact_reason = 'reason-' || lpad((r.n % 10000)::VARCHAR, 5, '0')
                        FROM (SELECT interaction_id, row_number() OVER (ORDER BY interaction_id) AS n
                              FROM interactions) r
                        WHERE interactions.interaction_id = r.interaction_id""").done());
        return c;
    }

    static final String INSTANT = "TIMESTAMPTZ '2025-06-02 09:00:00+00'";
    // turns.at is quoted as "at" in the SQL: AT is a keyword in DuckDB (AT TIME ZONE).

    private static String extreme(String column) {
        // Thirds by the number in the id, so that the choice does not depend on row order.
        return "UPDATE interactions SET " + column + " = CASE regexp_extract(interaction_id, '[0-9]+')::BIGINT % 3 "
                + "WHEN 0 THEN 1e300 WHEN 1 THEN 1e-300 ELSE " + column + " END WHERE " + column + " IS NOT NULL";
    }

    /** Deletes the csat, turns and qa_ratings rows of interactions that are gone. */
    private static List<String> pruneChildren() {
        return Stream.of("csat", "turns", "qa_ratings")
                .map(t -> "DELETE FROM " + t + " WHERE interaction_id NOT IN (SELECT interaction_id FROM interactions)")
                .toList();
    }

    private static Case nanAndInfinity() {
        // Five interactions per column, in id order; five turns and five ratings of interactions kept.
        String slice = "SELECT interaction_id FROM interactions ORDER BY interaction_id LIMIT 5 OFFSET ";
        String plantedIds = "SELECT interaction_id FROM interactions ORDER BY interaction_id LIMIT 20";
        String lastIds = "SELECT interaction_id FROM interactions ORDER BY interaction_id DESC LIMIT 50";
        return of("nan-infinity", "doubles are finite: NaN, Infinity and -Infinity in the double columns "
                + "(rejected as out of range)")
                .tables(ALL_TABLES)
                .edit("UPDATE interactions SET handle_seconds = 'NaN'::DOUBLE WHERE interaction_id IN (" + slice + "0)")
                .edit("UPDATE interactions SET resolution_hours = 'Infinity'::DOUBLE WHERE interaction_id IN ("
                        + slice + "5)")
                .edit("UPDATE interactions SET empathy_score = '-Infinity'::DOUBLE WHERE interaction_id IN ("
                        + slice + "10)")
                .edit("UPDATE interactions SET first_response_minutes = 'NaN'::DOUBLE WHERE interaction_id IN ("
                        + slice + "15)")
                .edit("UPDATE turns SET sentiment = 'Infinity'::DOUBLE WHERE rowid IN ("
                        + "SELECT rowid FROM turns WHERE interaction_id IN (" + lastIds + ") "
                        + "ORDER BY interaction_id, turn_index LIMIT 5)")
                .edit("UPDATE qa_ratings SET empathy_score = 'NaN'::DOUBLE WHERE rowid IN ("
                        + "SELECT rowid FROM qa_ratings WHERE interaction_id IN (" + lastIds + ") "
                        + "ORDER BY interaction_id, rater_id LIMIT 5)")
                .rejects("interactions", "out_of_range_handle_seconds", "SELECT 5")
                .rejects("interactions", "out_of_range_resolution_hours", "SELECT 5")
                .rejects("interactions", "out_of_range_empathy_score", "SELECT 5")
                .rejects("interactions", "out_of_range_first_response_minutes", "SELECT 5")
                .rejects("csat", "unknown_interaction",
                        "SELECT count(*) FROM csat WHERE interaction_id IN (" + plantedIds + ")")
                .rejects("turns", "unknown_interaction",
                        "SELECT count(*) FROM turns WHERE interaction_id IN (" + plantedIds + ")")
                .rejects("turns", "out_of_range_sentiment", "SELECT count(*) FROM turns WHERE isinf(sentiment)")
                .rejects("qa_ratings", "unknown_interaction",
                        "SELECT count(*) FROM qa_ratings WHERE interaction_id IN (" + plantedIds + ")")
                .rejects("qa_ratings", "out_of_range_empathy_score",
                        "SELECT count(*) FROM qa_ratings WHERE isnan(empathy_score)").done();
    }

    private static Case awkwardText() {
        List<String> reasons = List.of("billing, \"urgent\"", "line one\nline two", "refund 💸🙂",
                "استرداد المبلغ", "החזר כספי", "it's \"quoted\", twice", "тех. поддержка; ü ñ");
        List<String> segments = List.of("Premium \"Gold\", tier 1", "standard\r\nsecond line", "étudiants 🎓",
                "عملاء الأعمال", "לקוחות מראש");
        return of("awkward-text", "text is plain: quotes, commas, newlines, emoji and right-to-left scripts in "
                + "contact_reason, segment, region, country, site and turns.text")
                .tables(ALL_TABLES)
                .edit(relabel("interactions", "contact_reason", reasons))
                .edit(relabel("customers", "segment", segments))
                .edit(relabel("interactions", "region", List.of("EMEA, \"north\"", "الشرق الأوسط", "אזור 🌍",
                        "north\namerica")))
                .edit("UPDATE customers SET country = " + quote("Côte d'Ivoire, \"CI\" 🇨🇮") + " WHERE country IS NOT NULL "
                        + "AND regexp_extract(customer_id, '[0-9]+')::BIGINT % 2 = 0")
                .edit("UPDATE agents SET site = " + quote("תל אביב, \"north\"\nfloor 2"))
                .edit("UPDATE turns SET text = text || " + quote(" \"quoted\", then\nnewline 😀 שלום مرحبا, "))
                .done();
    }

    private static Case formulaLikeText() {
        return of("formula-like-text", "text never looks like a spreadsheet formula: segments, reasons and "
                + "regions start with =, +, - and @")
                .edit(relabel("customers", "segment", List.of("=HYPERLINK(\"http://example.com\",\"x\")", "+44 business",
                        "-prepaid", "@student", "=1+2")))
                .edit(relabel("interactions", "contact_reason", List.of("=SUM(A1:A9)", "-billing", "+refund",
                        "@mention", "=cmd|' /C calc'!A0", "-1+1", "technical")))
                .edit(relabel("interactions", "region", List.of("-emea", "+apac", "@latam", "=north_america")))
                .done();
    }

    private static Case allRejected() {
        return of("all-rejected", "some rows are valid: every row of every table breaks a rule")
                .tables(ALL_TABLES)
                .edit("UPDATE interactions SET team_type = 'contractor'")
                .edit("UPDATE customers SET segment = '  '")
                .edit("UPDATE agents SET team_type = 'freelance'")
                .edit("UPDATE shifts SET end_at = start_at")
                .edit("UPDATE agent_pulse SET fatigue = 0")
                .rejects("interactions", "invalid_team_type", "SELECT count(*) FROM interactions")
                .rejects("csat", "unknown_interaction", "SELECT count(*) FROM csat")
                .rejects("turns", "unknown_interaction", "SELECT count(*) FROM turns")
                .rejects("qa_ratings", "unknown_interaction", "SELECT count(*) FROM qa_ratings")
                .rejects("customers", "missing_segment", "SELECT count(*) FROM customers")
                .rejects("agents", "invalid_team_type", "SELECT count(*) FROM agents")
                .rejects("shifts", "end_at_not_after_start_at", "SELECT count(*) FROM shifts")
                .rejects("agent_pulse", "out_of_range_fatigue", "SELECT count(*) FROM agent_pulse")
                .done();
    }

    /**
     * The types DuckDB and warehouses write where the generator writes int, double, string and
     * UTC timestamps: upper- and mixed-case names, DECIMAL, REAL, (U)TINYINT, SMALLINT, UBIGINT,
     * ENUM, local TIMESTAMP, TIMESTAMP_MS, TIMESTAMP_S, DATE, small row groups, interactions in
     * three files with three compressions, csat in Parquet format version 2.
     */
    private static Case duckDbTypes() {
        String interactions = """
                SELECT interaction_id AS "INTERACTION_ID", customer_id AS "CUSTOMER_ID", agent_id AS "Agent_ID",
                       started_at::TIMESTAMP AS "STARTED_AT", channel::channel_enum AS "CHANNEL", region AS "REGION",
                       team_type::team_enum AS "TEAM_TYPE", contact_reason AS "CONTACT_REASON",
                       round(handle_seconds)::INTEGER AS "HANDLE_SECONDS", resolved AS "RESOLVED",
                       resolution_hours::DECIMAL(12, 3) AS "RESOLUTION_HOURS",
                       empathy_score::DECIMAL(5, 2) AS "EMPATHY_SCORE", empathy_documented AS "EMPATHY_DOCUMENTED",
                       escalated AS "ESCALATED", language AS "LANGUAGE", is_public AS "IS_PUBLIC",
                       audience_reach::UBIGINT AS "AUDIENCE_REACH",
                       first_response_minutes::REAL AS "FIRST_RESPONSE_MINUTES"
                FROM interactions WHERE regexp_extract(interaction_id, '[0-9]+')::BIGINT % 3 = %d
                ORDER BY interaction_id""";
        return of("duckdb-types", "types are the generator's: DECIMAL, REAL, TINYINT, SMALLINT, UBIGINT, ENUM, "
                + "local TIMESTAMP, TIMESTAMP_MS/S, DATE, upper-case names, row groups of 100, several files "
                + "and compressions, Parquet version 2")
                .tables(ALL_TABLES)
                .edit("CREATE TYPE channel_enum AS ENUM (SELECT DISTINCT channel FROM interactions ORDER BY 1)")
                .edit("CREATE TYPE team_enum AS ENUM ('in_house', 'outsourced')")
                .edit("CREATE TYPE segment_enum AS ENUM (SELECT DISTINCT segment FROM customers ORDER BY 1)")
                .write("interactions", folder -> List.of(
                        copy(interactions.replace("%d", "0"), folder.resolve("part-0.parquet"),
                                ", ROW_GROUP_SIZE 100, COMPRESSION zstd"),
                        copy(interactions.replace("%d", "1"), folder.resolve("part-1.parquet"),
                                ", ROW_GROUP_SIZE 100, COMPRESSION snappy"),
                        copy(interactions.replace("%d", "2"), folder.resolve("part-2.parquet"),
                                ", COMPRESSION uncompressed")))
                .write("csat", folder -> List.of(copy("""
                        SELECT interaction_id AS "Interaction_Id", csat::TINYINT AS "CSAT",
                               responded_at::TIMESTAMP_MS AS "RESPONDED_AT" FROM csat ORDER BY interaction_id""",
                        folder.resolve("part-0.parquet"), ", PARQUET_VERSION v2")))
                .write("customers", folder -> List.of(copy("""
                        SELECT customer_id AS "CUSTOMER_ID", segment::segment_enum AS "Segment",
                               signup_at::DATE AS "SIGNUP_AT", churned_at::DATE AS "CHURNED_AT",
                               emotional_opt_out AS "EMOTIONAL_OPT_OUT", country AS "COUNTRY"
                        FROM customers ORDER BY customer_id""", folder.resolve("part-0.parquet"), ", ROW_GROUP_SIZE 100")))
                .write("agents", folder -> List.of(copy("""
                        SELECT agent_id AS "AGENT_ID", team_type::team_enum AS "TEAM_TYPE", site AS "SITE",
                               region AS "REGION", hired_at::DATE AS "HIRED_AT",
                               empathy_trained_at::TIMESTAMP_S AS "EMPATHY_TRAINED_AT" FROM agents ORDER BY agent_id""",
                        folder.resolve("part-0.parquet"), "")))
                .write("turns", folder -> List.of(copy("""
                        SELECT interaction_id AS "INTERACTION_ID", turn_index::SMALLINT AS "TURN_INDEX",
                               speaker AS "SPEAKER", text AS "TEXT", sentiment::DECIMAL(4, 3) AS "SENTIMENT",
                               "at"::TIMESTAMP AS "AT" FROM turns ORDER BY interaction_id, turn_index""",
                        folder.resolve("part-0.parquet"), ", ROW_GROUP_SIZE 1000")))
                .write("qa_ratings", folder -> List.of(copy("""
                        SELECT interaction_id, rater_id, rater_team, empathy_score::DECIMAL(4, 1) AS empathy_score,
                               rated_at::TIMESTAMP_MS AS rated_at FROM qa_ratings ORDER BY ALL""", folder.resolve("part-0.parquet"), "")))
                .write("agent_pulse", folder -> List.of(copy("""
                        SELECT agent_id, surveyed_at::DATE AS surveyed_at, fatigue::UTINYINT AS fatigue
                        FROM agent_pulse ORDER BY ALL""", folder.resolve("part-0.parquet"), "")))
                .done();
    }

    /** Relabels the distinct values of a column, in sorted order, with {@code labels} (cycled). */
    private static String relabel(String table, String column, List<String> labels) {
        StringBuilder cases = new StringBuilder("CASE (k - 1) % " + labels.size());
        for (int i = 0; i < labels.size(); i++) {
            cases.append(" WHEN ").append(i).append(" THEN ").append(quote(labels.get(i)));
        }
        cases.append(" END");
        return "UPDATE " + table + " SET " + column + " = " + cases + " FROM (SELECT v, row_number() OVER (ORDER BY v) AS k "
                + "FROM (SELECT DISTINCT " + column + " AS v FROM " + table + " WHERE " + column + " IS NOT NULL)) m "
                + "WHERE " + table + "." + column + " = m.v";
    }

    /** A SQL string literal (DuckDB: only the quote is escaped, by doubling it). */
    static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String copy(String select, Path file, String options) {
        return "COPY (" + select + ") TO " + quote(file.toString()) + " (FORMAT PARQUET" + options + ")";
    }

    // ---------------------------------------------------------------- building

    /**
     * Writes {@code c} under the corpus root (once; a second call returns the same folder).
     *
     * @param spark the session that writes the {@link Writer#SPARK} cases
     */
    public Built build(Case c, SparkSession spark) {
        Path input = root.resolve(c.name()).resolve("input");
        try {
            String base = base(c.base());
            List<String> load = new ArrayList<>();
            for (String t : ALL_TABLES) {
                load.add("DROP TABLE IF EXISTS " + t);
                load.add("CREATE TABLE " + t + " AS SELECT * FROM " + base + "_" + t);
            }
            load.add("DROP TYPE IF EXISTS channel_enum");
            load.add("DROP TYPE IF EXISTS team_enum");
            load.add("DROP TYPE IF EXISTS segment_enum");
            execute(load);
            execute(c.edits());
            Map<String, Long> written = new LinkedHashMap<>();
            for (String t : c.tables()) {
                written.put(t, count("SELECT count(*) FROM " + t));
            }
            Map<String, Map<String, Long>> rejects = new TreeMap<>();
            c.expectedRejects().forEach((table, reasons) -> reasons.forEach((reason, sql) -> {
                long n = count(sql);
                if (n > 0) {
                    rejects.computeIfAbsent(table, k -> new TreeMap<>()).put(reason, n);
                }
            }));
            Files.createDirectories(input);
            switch (c.writer()) {
                case GENERATOR -> copyGenerated(Path.of(baseFolder(c.base())), input, c.tables());
                case DUCKDB -> writeWithDuckDb(c, input);
                case SPARK -> writeWithSpark(c, input, spark);
                default -> throw new IllegalStateException(c.writer().name());
            }
            return new Built(c, input, written, rejects);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write case " + c.name(), e);
        }
    }

    private void writeWithDuckDb(Case c, Path input) throws IOException {
        for (String t : c.tables()) {
            TableWrite custom = c.writes().get(t);
            if (custom == null) {
                execute(List.of(copy("SELECT * FROM " + t + " ORDER BY ALL", input.resolve(t + ".parquet"), "")));
            } else {
                Path folder = input.resolve(t);
                Files.createDirectories(folder);
                execute(custom.sql(folder));
            }
        }
    }

    private void writeWithSpark(Case c, Path input, SparkSession spark) throws IOException {
        Path staging = root.resolve(c.name()).resolve("duckdb");
        Files.createDirectories(staging);
        for (String t : c.tables()) {
            Path file = staging.resolve(t + ".parquet");
            execute(List.of(copy("SELECT * FROM " + t + " ORDER BY ALL", file, "")));
            spark.read().parquet(file.toString()).repartition(3).write().parquet(input.resolve(t).toString());
        }
    }

    private static void copyGenerated(Path generated, Path input, List<String> tables) throws IOException {
        for (String t : tables) {
            Path to = input.resolve(t);
            Files.createDirectories(to);
            try (Stream<Path> parts = Files.list(generated.resolve(t))) {
                for (Path p : parts.sorted().toList()) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
    }

    /** The DuckDB table prefix of the generated base of {@code interactions} rows, generated on first use. */
    private String base(long interactions) {
        return bases.computeIfAbsent(interactions, n -> {
            Path folder = Path.of(baseFolder(n));
            Generator.generate(folder, new GeneratorParams(n, SEED, 1), line -> { });
            String prefix = "base" + n;
            List<String> load = new ArrayList<>();
            for (String t : ALL_TABLES) {
                load.add("CREATE TABLE " + prefix + "_" + t + " AS SELECT * FROM read_parquet("
                        + quote(folder.resolve(t).resolve("*.parquet").toString()) + ")");
            }
            execute(load);
            return prefix;
        });
    }

    private String baseFolder(long interactions) {
        return root.resolve("base-" + interactions).toString();
    }

    private void execute(List<String> statements) {
        String current = "";
        try (Statement s = db.createStatement()) {
            for (String sql : statements) {
                current = sql;
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB: " + e.getMessage() + " in: " + current, e);
        }
    }

    private long count(String sql) {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB: " + e.getMessage() + " in: " + sql, e);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    // ---------------------------------------------------------------- the case builder

    static Builder of(String name, String breaks) {
        return new Builder(name, breaks);
    }

    static final class Builder {
        private final String name;
        private final String breaks;
        private long base = BASE_INTERACTIONS;
        private List<String> tables = FOUR_TABLES;
        private final List<String> edits = new ArrayList<>();
        private Writer writer = Writer.DUCKDB;
        private final Map<String, TableWrite> writes = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> rejects = new TreeMap<>();

        Builder(String name, String breaks) {
            this.name = name;
            this.breaks = breaks;
        }

        Builder base(long interactions) {
            base = interactions;
            return this;
        }

        Builder tables(List<String> only) {
            tables = only;
            return this;
        }

        Builder edit(String sql) {
            edits.add(sql);
            return this;
        }

        Builder edits(List<String> sql) {
            edits.addAll(sql);
            return this;
        }

        Builder writer(Writer w) {
            writer = w;
            return this;
        }

        Builder write(String table, TableWrite w) {
            writes.put(table, w);
            return this;
        }

        /** Validation must reject, in {@code table}, as many rows for {@code reason} as {@code countSql} counts. */
        Builder rejects(String table, String reason, String countSql) {
            rejects.computeIfAbsent(table, k -> new LinkedHashMap<>()).put(reason, countSql);
            return this;
        }

        Case done() {
            if (writer == Writer.GENERATOR && !edits.isEmpty()) {
                throw new IllegalStateException(name + ": the generator's files cannot be edited");
            }
            return new Case(name, breaks, base, tables, List.copyOf(edits), writer, Map.copyOf(writes),
                    Map.copyOf(rejects));
        }
    }
}
