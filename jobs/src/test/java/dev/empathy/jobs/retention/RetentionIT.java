package dev.empathy.jobs.retention;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import dev.empathy.lib.contract.Contract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention job on 19 hand-made customers whose per-customer figures are known by hand,
 * against R 4.2.2 (survival 3.4) on those figures: the R script is quoted in each test.
 *
 * <p>Per customer (segment; contacts as day:score, '-' unscored; churn day) and what follows:
 * days of follow-up, churned, exposure, contacts before churn. The end of the data is day 250
 * (c16's contact).
 * <pre>
 * c01 prepaid  0:50 10:60          churn 40      -> 40  1 55 2
 * c02 prepaid  0:70 100:-                        -> 250 0 70 2
 * c03 prepaid  5:40                churn 25      -> 20  1 40 1
 * c04 prepaid  20:80 30:90                       -> 230 0 85 2
 * c05 prepaid  0:55                churn 100.5   -> 100 1 55 1   (floor of 100.5 days)
 * c06 prepaid  50:65 60:45 70:-    churn 200     -> 150 1 55 3
 * c07 prepaid  10:75               churn 300     -> 240 0 75 1   (churn after the end: censored)
 * c08 prepaid  100:60              churn 130     -> 30  1 60 1
 * c09 standard 0:62                              -> 250 0 62 1
 * c10 standard 3:48 40:52          churn 170     -> 167 1 50 2
 * c11 standard 30:90                             -> 220 0 90 1
 * c12 standard 60:35               churn 95      -> 35  1 35 1
 * c13 standard 0:68 150:72         churn 160     -> 160 1 70 2
 * c14 standard 20:58 90:66         churn 80      -> 60  1 58 1   (the contact after churn does not count)
 * c15 standard 15:77                             -> 235 0 77 1
 * c16 standard 250:61                            -> 0   0 61 1
 * (documented: the contacts scored 60 or more)
 * x1  (no customer record) 5:50                  -> excluded
 * x2  prepaid  50:70               churn 40      -> excluded: churned before the first contact
 * x3  standard 10:-                              -> 240 0, no exposure: in the churn rates only
 * </pre>
 */
class RetentionIT {

    @TempDir
    static Path dir;

    static Path out;

    static JsonNode manifest;

    private static final List<Map<String, Object>> INTERACTIONS = new ArrayList<>();
    private static final List<Map<String, Object>> CUSTOMERS = new ArrayList<>();

    private static void customer(String id, String segment, Double churnDay, Object... contacts) {
        if (segment != null) {
            CUSTOMERS.add(Fixtures.row(Contract.CUSTOMERS, "customer_id", id, "segment", segment, "churned_at",
                    churnDay == null ? null : at(churnDay)));
        }
        for (int i = 0; i < contacts.length; i += 2) {
            Double score = (Double) contacts[i + 1];
            INTERACTIONS.add(interaction(id + "-" + i, "customer_id", id, "started_at", at((Double) contacts[i]),
                    "empathy_score", score, "empathy_documented", score != null && score >= 60));
        }
    }

    private static java.time.Instant at(double day) {
        return Fixtures.T0.plus(Duration.ofMinutes(Math.round(day * 24 * 60)));
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void run() throws Exception {
        customer("c01", "prepaid", 40.0, 0.0, 50.0, 10.0, 60.0);
        customer("c02", "prepaid", null, 0.0, 70.0, 100.0, null);
        customer("c03", "prepaid", 25.0, 5.0, 40.0);
        customer("c04", "prepaid", null, 20.0, 80.0, 30.0, 90.0);
        customer("c05", "prepaid", 100.5, 0.0, 55.0);
        customer("c06", "prepaid", 200.0, 50.0, 65.0, 60.0, 45.0, 70.0, null);
        customer("c07", "prepaid", 300.0, 10.0, 75.0);
        customer("c08", "prepaid", 130.0, 100.0, 60.0);
        customer("c09", "standard", null, 0.0, 62.0);
        customer("c10", "standard", 170.0, 3.0, 48.0, 40.0, 52.0);
        customer("c11", "standard", null, 30.0, 90.0);
        customer("c12", "standard", 95.0, 60.0, 35.0);
        customer("c13", "standard", 160.0, 0.0, 68.0, 150.0, 72.0);
        customer("c14", "standard", 80.0, 20.0, 58.0, 90.0, 66.0);
        customer("c15", "standard", null, 15.0, 77.0);
        customer("c16", "standard", null, 250.0, 61.0);
        customer("x1", null, null, 5.0, 50.0);
        customer("x2", "prepaid", 40.0, 50.0, 70.0);
        customer("x3", "standard", null, 10.0, null);
        Path input = dir.resolve("input");
        Fixtures.write(input, Contract.INTERACTIONS, INTERACTIONS.toArray(Map[]::new));
        Fixtures.write(input, Contract.CUSTOMERS, CUSTOMERS.toArray(Map[]::new));
        out = dir.resolve("run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("retention", input, out, "2026-01-31",
                Map.of()), dev.empathy.jobs.Jobs.plan(List.of(new Retention())), Progress.silent());
        manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    }

    private static List<String[]> csv(String file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(out.resolve("retention").resolve(file));
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    @Test
    void stepsAndChurnRatesFollowTheDefinitions() throws IOException {
        Map<String, Long> steps = new HashMap<>();
        csv("population.csv").forEach(r -> steps.put(r[0], Long.parseLong(r[1])));
        assertEquals(Map.of("customers_with_interactions", 19L, "excluded_no_customer_record", 1L,
                "excluded_churned_before_first_contact", 1L, "excluded_no_scored_contact", 1L, "used", 16L), steps);
        // Followed: 8 prepaid with 5 churned over 1,060 days; 9 standard (x3 too) with 4 over 1,367.
        Map<String, String[]> segments = new HashMap<>();
        csv("segments.csv").forEach(r -> segments.put(r[0], r));
        assertSegment(segments.get("prepaid"), 8, 5, 1060);
        assertSegment(segments.get("standard"), 9, 4, 1367);
        assertSegment(segments.get("all"), 17, 9, 2427);
        // 5 / 2.902 = 1.72 a year is above 1.25 x 9 / 6.645 = 1.69: prepaid is high-churn, standard not.
        assertEquals("yes", segments.get("prepaid")[7]);
        assertEquals("no", segments.get("standard")[7]);
        // One-way ANOVA of the 21 scores by customer, R: anova(lm(v ~ g)) -> MS 279.2825396825 (15 df),
        // 63.2 (5 df); n0 = 1.3015873015873, so s2u = (279.28 - 63.2) / n0 = 166.014634146341; mean 62.5238095238095.
        JsonNode calibration = manifest.at("/jobs/1/details/exposure_calibration");
        assertEquals("retention", manifest.at("/jobs/1/name").asText());
        assertEquals(62.5238095238095, calibration.get("mean").asDouble(), 1e-10);
        assertEquals(63.2, calibration.get("within_customer_variance").asDouble(), 1e-10);
        assertEquals(166.014634146341, calibration.get("between_customer_variance").asDouble(), 1e-9);
    }

    private static void assertSegment(String[] row, long customers, long churned, double days) {
        assertEquals(customers, Long.parseLong(row[1]), row[0]);
        assertEquals(churned, Long.parseLong(row[2]), row[0]);
        assertEquals(days / 365.25, Double.parseDouble(row[3]), 1e-12, row[0]);
        assertEquals(churned / (days / 365.25), Double.parseDouble(row[4]), 1e-12, row[0]);
    }

    /**
     * R: for h in 90, 180: r &lt;- ifelse(ev == 1 &amp; days &lt; h, 0, ifelse(days &gt;= h, 1, NA));
     * cor(expo[k], r[k]) and cor(expo[k], r[k], method = "spearman") over the customers with r known.
     */
    @Test
    void correlationsMatchR() throws IOException {
        Map<String, Double> got = new HashMap<>();
        Map<String, Long> n = new HashMap<>();
        for (String[] r : csv("correlation.csv")) {
            String key = r[0] + "/" + r[2] + "/" + r[4];
            got.put(r[3].equals("score") ? key : r[3] + "/" + key, Double.parseDouble(r[5]));
            n.put(r[0] + "/" + r[2], Long.parseLong(r[8]));
        }
        assertEquals(0.60827919245153, got.get("all/90/point_biserial"), 1e-12);
        assertEquals(0.558956556838215, got.get("all/90/spearman"), 1e-12);
        assertEquals(0.598407032781971, got.get("prepaid/90/point_biserial"), 1e-12);
        assertEquals(0.519615242270663, got.get("prepaid/90/spearman"), 1e-12);
        assertEquals(0.630190226851401, got.get("standard/90/point_biserial"), 1e-12);
        assertEquals(0.632455532033676, got.get("standard/90/spearman"), 1e-12);
        assertEquals(0.766067644908428, got.get("all/180/point_biserial"), 1e-12);
        assertEquals(0.806784296389624, got.get("all/180/spearman"), 1e-12);
        assertEquals(0.867079578112652, got.get("prepaid/180/point_biserial"), 1e-12);
        assertEquals(0.866025403784439, got.get("prepaid/180/spearman"), 1e-12);
        assertEquals(0.68391934596659, got.get("standard/180/point_biserial"), 1e-12);
        assertEquals(0.721687836487032, got.get("standard/180/spearman"), 1e-12);
        // Documented share: 1/2 1/2 0 1 0 1/3 1 1 | 1 0 1 0 1 0 1 1 (a score of 60 or more was documented here).
        assertEquals(0.405321741688889, got.get("documented_share/all/90/point_biserial"), 1e-12);
        assertEquals(0.405321741688889, got.get("documented_share/all/90/spearman"), 1e-12);
        // c16 (followed 0 days, still a customer) is the one left out at both horizons.
        assertEquals(15, n.get("all/90"));
        assertEquals(7, n.get("standard/180"));
    }

    /**
     * R: quantile(expo, c(1/3, 2/3)) per segment; band low &lt;= q1 &lt; middle &lt;= q2 &lt; high;
     * survdiff(Surv(days, ev) ~ band, data = segment)$chisq; survfit(Surv(days, ev) ~ band_all).
     */
    @Test
    void tertilesKaplanMeierAndLogRankMatchR() throws IOException {
        Map<String, String[]> tests = new HashMap<>();
        csv("logrank.csv").forEach(r -> tests.put(r[0], r));
        assertEquals(55, Double.parseDouble(tests.get("prepaid")[2]), 1e-12);
        assertEquals(66.6666666666667, Double.parseDouble(tests.get("prepaid")[3]), 1e-12);
        assertEquals(59, Double.parseDouble(tests.get("standard")[2]), 1e-12);
        assertEquals(67.3333333333333, Double.parseDouble(tests.get("standard")[3]), 1e-12);
        assertEquals(70, Double.parseDouble(tests.get("all")[3]), 1e-12);
        assertEquals(7.14440844378117, Double.parseDouble(tests.get("prepaid")[4]), 1e-9);
        assertEquals(4.06564753998246, Double.parseDouble(tests.get("standard")[4]), 1e-9);
        assertEquals(8.67278660041588, Double.parseDouble(tests.get("all")[4]), 1e-9);
        assertEquals("2", tests.get("all")[5]);
        // summary(survfit(...)) for band_all=low at its event times 20 35 40 100 150 167 and middle at 30 60 160.
        double[] lowSurvival = {0.833333333333333, 0.666666666666667, 0.5, 0.333333333333333, 0.166666666666667, 0};
        double[] lowLower = {0.5826547954771396, 0.3786064608870951, 0.2246303477692667, 0.1075071391690886,
            0.0278491282992745, Double.NaN};
        double[] middleSurvival = {0.8, 0.6, 0.4};
        double[] middleLower = {0.5161257603421721, 0.2933164316383264, 0.1367217803890508};
        assertCurve("low", lowSurvival, lowLower);
        assertCurve("middle", middleSurvival, middleLower);
    }

    private static void assertCurve(String band, double[] survival, double[] lower) throws IOException {
        List<String[]> rows = csv("km.csv").stream().filter(r -> r[0].equals("all") && r[1].equals(band)
                && Long.parseLong(r[4]) > 0).toList();
        assertEquals(survival.length, rows.size(), band);
        for (int i = 0; i < survival.length; i++) {
            assertEquals(survival[i], Double.parseDouble(rows.get(i)[6]), 1e-12, band + " " + i);
            if (Double.isNaN(lower[i])) {
                assertTrue(rows.get(i)[8].isEmpty(), "no interval at zero survival");
            } else {
                assertEquals(lower[i], Double.parseDouble(rows.get(i)[8]), 1e-9, band + " " + i);
            }
        }
    }

    /**
     * R: coxph(Surv(days, ev) ~ e10 + log(contacts) + seg, ties = "efron") -> e10 -1.373268573801393
     * (se 0.453189507891607); on prepaid alone, ~ e10 + log(contacts) -> -2.17407910576398 (se 1.21530294357892).
     */
    @Test
    void coxMatchesR() throws IOException {
        Map<String, String[]> rows = new HashMap<>();
        csv("cox.csv").forEach(r -> rows.put(r[0] + "/" + r[1], r));
        String[] all = rows.get("observed/all");
        assertEquals(-1.373268573801393, Double.parseDouble(all[4]), 1e-6);
        assertEquals(0.453189507891607, Double.parseDouble(all[5]), 1e-6);
        assertEquals("16", all[10]);
        assertEquals("9", all[11]);
        String[] prepaid = rows.get("observed/prepaid");
        assertEquals(-2.17407910576398, Double.parseDouble(prepaid[4]), 1e-6);
        assertEquals(1.21530294357892, Double.parseDouble(prepaid[5]), 1e-6);
        assertEquals("yes", prepaid[2]);
        // R: coxph(Surv(days, ev) ~ doc10 + log(contacts) + seg) -> doc10 -0.219246738527240 (se 0.0896558980624433)
        String[] documented = rows.get("documented_share/all");
        assertEquals(-0.219246738527240, Double.parseDouble(documented[4]), 1e-6);
        assertEquals(0.0896558980624433, Double.parseDouble(documented[5]), 1e-6);
    }

    /**
     * The counting-process model: one row per contact, at risk from the contact's day to the day
     * before the next, with the calibrated running exposure after it (x3, never scored, at the
     * mean throughout). Built independently in R from the table in the class comment:
     * <pre>
     * x &lt;- if (ks == 0) mu else mu + (s2u + s2e / k) / (s2u + s2e / ks) * (mean(scores so far) - mu)
     * rows: start = day - 1, stop = next day - 1 (or the follow-up), event on the last; stop &gt; start
     * coxph(Surv(start, stop, ev) ~ x10 + log(k) + seg, ties = "efron")
     *   -&gt; x10 -1.475577406336110 (se 0.478132059687879), n = 24 rows, 9 events
     * </pre>
     */
    @Test
    void runningExposureCoxMatchesR() throws IOException {
        String[] running = csv("cox.csv").stream().filter(r -> r[0].equals("running") && r[1].equals("all"))
                .findFirst().orElseThrow();
        assertEquals(-1.475577406336110, Double.parseDouble(running[4]), 1e-6);
        assertEquals(0.478132059687879, Double.parseDouble(running[5]), 1e-6);
        assertEquals("17", running[10]);
        assertEquals("9", running[11]);
    }

    /** A segment nobody left, or one whose exposure never varies, gets a noted row instead of failing the run. */
    @Test
    void segmentsWithoutChurnOrVariationAreNotedNotFatal() {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("days", "double").add("churned", "int").add("contacts", "long").add("exposure_10", "double");
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(org.apache.spark.sql.RowFactory.create(10.0 + i, i % 2, 1L, 6.0));
        }
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> constant = SharedSpark.session()
                .createDataFrame(rows, schema);
        Retention.CoxRow none = Retention.cox(constant, "exposure_10", "business", false, 0);
        assertEquals("not fitted: no churned customers", none.note());
        assertTrue(Double.isNaN(none.term().estimate()));
        Retention.CoxRow flat = Retention.cox(constant, "exposure_10", "business", false, 3);
        assertTrue(flat.note().startsWith("not fitted: the information matrix is singular"), flat.note());
    }
}
