package dev.empathy.jobs.frame;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.reports.io.ReportFolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pseudonyms against the JDK's own HMAC-SHA256 ({@code javax.crypto.Mac}) and the RFC 4231
 * test vector, and a frame written as gzip CSV read back row by row.
 */
class ModelFrameIT {

    static final SparkSession spark = SharedSpark.session();

    static final StructType IDS = new StructType().add("id", DataTypes.StringType).add("x", DataTypes.DoubleType);

    static String jdkPseudonym(byte[] key, String id) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String hex = HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        StringBuilder letters = new StringBuilder();
        for (char c : hex.toCharArray()) {
            letters.append("ghijklmnopabcdef".charAt(Character.digit(c, 16)));
        }
        return letters.toString();
    }

    @Test
    void theDriverHmacMatchesRfc4231TestCase2() {
        // RFC 4231, 4.3 Test Case 2: key "Jefe", data "what do ya want for nothing?",
        // HMAC-SHA-256 = 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843;
        // its first 16 hex digits with 0-9 written g-p.
        ModelFrame.Key key = ModelFrame.Key.of("Jefe".getBytes(StandardCharsets.US_ASCII));
        assertEquals("lbdcchkmbfmgnlke", ModelFrame.pseudonym("what do ya want for nothing?", key));
    }

    @Test
    void sparkPseudonymsEqualTheJdkHmacAndKeepClusters() throws Exception {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (7 * i + 3);
        }
        ModelFrame.Key key = ModelFrame.Key.of(secret);
        List<String> ids = List.of("C-000001", "C-000002", "C-000001", "", "agent é ü 客", "12345678901234567890");
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(RowFactory.create(id, 1.0));
        }
        rows.add(RowFactory.create(null, 2.0));
        List<Row> out = spark.createDataFrame(rows, IDS)
                .select(col("id"), ModelFrame.pseudonym(col("id"), key).as("p")).collectAsList();
        for (Row r : out) {
            if (r.isNullAt(0)) {
                assertNull(r.get(1), "a missing id stays missing");
            } else {
                assertEquals(jdkPseudonym(secret, r.getString(0)), r.getString(1), r.getString(0));
            }
        }
        assertEquals(out.get(0).getString(1), out.get(2).getString(1), "one id, one pseudonym");
        assertNotEquals(out.get(0).getString(1), out.get(1).getString(1));
        String other = spark.createDataFrame(rows.subList(0, 1), IDS)
                .select(ModelFrame.pseudonym(col("id"), ModelFrame.Key.random())).first().getString(0);
        assertNotEquals(out.get(0).getString(1), other, "another key, another pseudonym");
        assertEquals("ModelFrame.Key[secret]", key.toString(), "a key never prints its bytes");
    }

    @Test
    void pseudonymsComputedInTasksEqualTheDriversWhateverThePartitioning() {
        // The function reaches the executors serialized: each task's copy must give the same pseudonyms.
        ModelFrame.Key key = ModelFrame.Key.of("task key".getBytes(StandardCharsets.US_ASCII));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(RowFactory.create("C-" + (i % 7), (double) i));
        }
        List<Row> out = spark.createDataFrame(rows, IDS).repartition(3)
                .select(col("id"), ModelFrame.pseudonym(col("id"), key).as("p")).collectAsList();
        assertEquals(200, out.size());
        for (Row r : out) {
            assertEquals(ModelFrame.pseudonym(r.getString(0), key), r.getString(1), r.getString(0));
        }
    }

    @Test
    void theKeyStaysOutOfTheQueryPlan() {
        // Plans reach event logs and the UI: neither the key nor its padded blocks may show there.
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x2a);
        ModelFrame.Key key = ModelFrame.Key.of(secret);
        Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("C-1", 1.0)), IDS)
                .select(ModelFrame.pseudonym(col("id"), key).as("p"));
        String plan = rows.queryExecution().toString().toLowerCase(java.util.Locale.ROOT);
        // 0x2a xor ipad (0x36) = 0x1c, xor opad (0x5c) = 0x76; the secret itself is 0x2a.
        for (String block : List.of("2a2a2a2a", "1c1c1c1c", "76767676")) {
            assertFalse(plan.contains(block), block + " in " + plan);
        }
        assertEquals(ModelFrame.pseudonym("C-1", key), rows.first().getString(0));
    }

    @Test
    void aFrameIsGzipCsvWithHeadersMissingAsEmptyAndEveryDigit(@TempDir Path dir) throws Exception {
        List<Row> rows = Arrays.asList(RowFactory.create("a", 0.1 + 0.2), RowFactory.create("b", null),
                RowFactory.create("c", 1.0 / 3));
        Dataset<Row> frame = spark.createDataFrame(rows, IDS).repartition(2);
        ModelFrame.write(frame, ReportFolder.local(dir), "model_frame");
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(dir.resolve("model_frame"))) {
            for (Path p : parts.filter(p -> p.getFileName().toString().matches("part-.*\\.csv\\.gz")).sorted().toList()) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8))) {
                    assertEquals("id,x", in.readLine(), "each part has the header");
                    in.lines().forEach(lines::add);
                }
            }
        }
        lines.sort(null);
        assertEquals(List.of("a,0.30000000000000004", "b,", "c,0.3333333333333333"), lines);
    }

    @Test
    void theOptionIsOnOrOff() {
        assertTrue(ModelFrame.enabled("on"));
        assertTrue(ModelFrame.enabled(null));
        assertEquals(false, ModelFrame.enabled(" OFF "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFrame.enabled("maybe"));
        assertEquals("--model-frame: on or off, got 'maybe'", e.getMessage());
    }
}
