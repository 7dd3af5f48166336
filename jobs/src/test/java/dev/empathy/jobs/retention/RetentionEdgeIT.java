package dev.empathy.jobs.retention;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention job on degenerate data (issue 10, the edge-case corpus): a segment nobody leaves,
 * no documented empathy or documented empathy everywhere, no empathy scores at all, one customer,
 * every timestamp equal. Each run must finish, write every file, note in the CSVs what could not
 * be estimated and say it in words in {@code summary.md} (no NaN, no infinity).
 *
 * <p>The base is {@link RetentionIT}'s sixteen customers (day:score, churn day); each test
 * changes one thing about it.
 */
class RetentionEdgeIT {

    @TempDir
    static Path dir;

    /** One contact: the customer, its day since T0, its score (null: unscored), documented. */
    record Contact(String customer, double day, Double score, boolean documented) {
    }

    /** One customer: id, segment, churn day (null: still a customer). */
    record Customer(String id, String segment, Double churnDay) {
    }

    private static final List<Customer> CUSTOMERS = List.of(
            new Customer("c01", "prepaid", 40.0), new Customer("c02", "prepaid", null),
            new Customer("c03", "prepaid", 25.0), new Customer("c04", "prepaid", null),
            new Customer("c05", "prepaid", 100.5), new Customer("c06", "prepaid", 200.0),
            new Customer("c07", "prepaid", 300.0), new Customer("c08", "prepaid", 130.0),
            new Customer("c09", "standard", null), new Customer("c10", "standard", 170.0),
            new Customer("c11", "standard", null), new Customer("c12", "standard", 95.0),
            new Customer("c13", "standard", 160.0), new Customer("c14", "standard", 80.0),
            new Customer("c15", "standard", null), new Customer("c16", "standard", null));

    private static final List<Contact> CONTACTS = List.of(
            c("c01", 0, 50.0), c("c01", 10, 60.0), c("c02", 0, 70.0), c("c02", 100, null), c("c03", 5, 40.0),
            c("c04", 20, 80.0), c("c04", 30, 90.0), c("c05", 0, 55.0), c("c06", 50, 65.0), c("c06", 60, 45.0),
            c("c06", 70, null), c("c07", 10, 75.0), c("c08", 100, 60.0), c("c09", 0, 62.0), c("c10", 3, 48.0),
            c("c10", 40, 52.0), c("c11", 30, 90.0), c("c12", 60, 35.0), c("c13", 0, 68.0), c("c13", 150, 72.0),
            c("c14", 20, 58.0), c("c14", 90, 66.0), c("c15", 15, 77.0), c("c16", 250, 61.0));

    private static Contact c(String customer, double day, Double score) {
        return new Contact(customer, day, score, score != null && score >= 60);
    }

    private static java.time.Instant at(double day) {
        return Fixtures.T0.plus(Duration.ofMinutes(Math.round(day * 24 * 60)));
    }

    /** Runs the job on the base with its customers and contacts changed; the run's retention folder. */
    @SuppressWarnings("unchecked")
    private static Path run(String name, Function<Customer, Customer> customers, Function<Contact, Contact> contacts)
            throws IOException {
        List<Map<String, Object>> interactions = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Customer one : CUSTOMERS) {
            Customer k = customers.apply(one);
            if (k != null) {
                rows.add(Fixtures.row(Contract.CUSTOMERS, "customer_id", k.id(), "segment", k.segment(),
                        "churned_at", k.churnDay() == null ? null : at(k.churnDay())));
            }
        }
        int i = 0;
        for (Contact one : CONTACTS) {
            Contact k = contacts.apply(one);
            interactions.add(interaction("i" + i++, "customer_id", k.customer(), "started_at", at(k.day()),
                    "empathy_score", k.score(), "empathy_documented", k.documented()));
        }
        Path input = dir.resolve(name).resolve("input");
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.CUSTOMERS, rows.toArray(Map[]::new));
        Path out = dir.resolve(name).resolve("run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("retention", input, out, "2026-01-31",
                Map.of()), dev.empathy.jobs.Jobs.plan(List.of(new Retention())), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        JsonNode job = manifest.at("/jobs/1");
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        Path folder = out.resolve("retention");
        for (String file : List.of("population.csv", "segments.csv", "correlation.csv", "km.csv", "logrank.csv",
                "cox.csv", "hazard_ratios.png", "summary.md")) {
            assertTrue(Files.isRegularFile(folder.resolve(file)), file);
        }
        String summary = Files.readString(folder.resolve("summary.md"));
        for (String noise : List.of("NaN", "Infinity", "∞")) {
            assertFalse(summary.contains(noise), summary);
        }
        return folder;
    }

    /** The rows of a CSV as maps by column name. */
    private static List<Map<String, String>> csv(Path folder, String file) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve(file));
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int k = 0; k < header.length; k++) {
                row.put(header[k], k < cells.length ? cells[k] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    private static String summary(Path folder) throws IOException {
        return Files.readString(folder.resolve("summary.md"));
    }

    @Test
    void aSegmentNobodyLeaves() throws IOException {
        Path folder = run("nobody-churns", k -> k.segment().equals("standard")
                ? new Customer(k.id(), k.segment(), null) : k, k -> k);
        for (Map<String, String> r : csv(folder, "cox.csv")) {
            if (r.get("segment").equals("standard")) {
                assertEquals("not fitted: no churned customers", r.get("note"));
                assertEquals("", r.get("estimate"));
            }
        }
        for (Map<String, String> r : csv(folder, "logrank.csv")) {
            if (r.get("segment").equals("standard")) {
                assertEquals("", r.get("chi_square"));
                assertEquals("not tested: no churned customers", r.get("note"));
            }
        }
        for (Map<String, String> r : csv(folder, "correlation.csv")) {
            if (r.get("segment").equals("standard")) {
                assertEquals("", r.get("estimate"));
                assertTrue(r.get("note").startsWith("not estimated: every customer was still a customer"), r.get("note"));
            }
        }
        assertTrue(summary(folder).contains("Nobody in the standard segment left"), summary(folder));
    }

    @Test
    void noContactDocumentsEmpathy() throws IOException {
        Path folder = run("no-documented", k -> k, k -> new Contact(k.customer(), k.day(), k.score(), false));
        assertDocumentedShareNoted(folder);
    }

    @Test
    void everyContactDocumentsEmpathy() throws IOException {
        Path folder = run("documented-everywhere", k -> k, k -> new Contact(k.customer(), k.day(), k.score(), true));
        assertDocumentedShareNoted(folder);
    }

    private static void assertDocumentedShareNoted(Path folder) throws IOException {
        for (Map<String, String> r : csv(folder, "correlation.csv")) {
            if (r.get("exposure").equals("documented_share")) {
                assertEquals("", r.get("estimate"));
                assertTrue(r.get("note").startsWith("not estimated: the documented share is the same"), r.get("note"));
            }
        }
        for (Map<String, String> r : csv(folder, "cox.csv")) {
            if (r.get("exposure").equals("documented_share")) {
                assertEquals("", r.get("estimate"));
                assertTrue(r.get("note").contains("not fitted"), r.get("note"));
            }
        }
        assertTrue(summary(folder).contains("documented empathy on the same share of their contacts"),
                summary(folder));
    }

    @Test
    void noContactIsScored() throws IOException {
        Path folder = run("no-scores", k -> k, k -> new Contact(k.customer(), k.day(), null, k.documented()));
        assertTrue(csv(folder, "km.csv").isEmpty());
        for (Map<String, String> r : csv(folder, "cox.csv")) {
            assertEquals("", r.get("estimate"));
            assertEquals("not fitted: no contact had a QA empathy score", r.get("note"));
        }
        assertTrue(summary(folder).contains("No contact had a QA empathy score"), summary(folder));
    }

    @Test
    void oneCustomer() throws IOException {
        Path folder = run("one-customer", k -> k.id().equals("c06") ? k : null,
                k -> new Contact("c06", Math.min(k.day() / 10, 190), k.score(), k.documented()));
        for (Map<String, String> r : csv(folder, "cox.csv")) {
            assertEquals("", r.get("estimate"));
            assertTrue(r.get("note").contains("not fitted"), r.get("note"));
        }
        for (Map<String, String> r : csv(folder, "logrank.csv")) {
            assertEquals("", r.get("chi_square"));
            assertFalse(r.get("note").isEmpty());
        }
        assertTrue(summary(folder).contains("We followed 1 customer from their first contact in the data for 25 "
                + "customer-days. No customer left during the data, so churn could not be related to empathy."),
                summary(folder));
    }

    @Test
    void everyTimestampIsEqual() throws IOException {
        Path folder = run("equal-timestamps", k -> k.churnDay() == null ? k : new Customer(k.id(), k.segment(), 0.0),
                k -> new Contact(k.customer(), 0, k.score(), k.documented()));
        for (Map<String, String> r : csv(folder, "logrank.csv")) {
            assertEquals("", r.get("chi_square"));
            assertFalse(r.get("note").isEmpty());
        }
        for (Map<String, String> r : csv(folder, "segments.csv")) {
            assertEquals("", r.get("churn_per_year"));
        }
        assertTrue(summary(folder).contains("No customer was followed for a day"), summary(folder));
    }
}
