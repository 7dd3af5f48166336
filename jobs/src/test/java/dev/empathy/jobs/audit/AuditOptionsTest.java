package dev.empathy.jobs.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.Jobs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditOptionsTest {

    @Test
    void quartersAreWrittenAndReadAs2026Q3() {
        Quarter q = Quarter.parse("quarter", "2026Q3");
        assertEquals("2026Q3", q.toString());
        assertEquals(q, Quarter.parse("quarter", " 2026-q3 "));
        assertEquals(Instant.parse("2026-07-01T00:00:00Z"), q.start());
        assertEquals(Instant.parse("2026-10-01T00:00:00Z"), q.end());
        assertEquals(new Quarter(2025, 4), new Quarter(2026, 1).previous());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quarter.parse("quarter", "2026Q5"));
        assertTrue(e.getMessage().startsWith("--quarter: '2026Q5' is not a quarter"), e.getMessage());
    }

    /** Complete when the data reach the quarter's last day: 31 December makes Q4 complete, 30 December does not. */
    @Test
    void theLastCompleteQuarterIsTheLatestWhoseLastDayTheDataReach() {
        assertEquals(new Quarter(2025, 4), Quarter.lastComplete(Instant.parse("2025-12-31T00:00:00Z")).orElseThrow());
        assertEquals(new Quarter(2025, 3), Quarter.lastComplete(Instant.parse("2025-12-30T23:59:59Z")).orElseThrow());
        assertEquals(new Quarter(2025, 3), Quarter.lastComplete(Instant.parse("2025-10-01T00:00:00Z")).orElseThrow());
        assertEquals(new Quarter(2025, 2), Quarter.lastComplete(Instant.parse("2025-06-30T12:00:00Z")).orElseThrow());
    }

    @Test
    void slaTiersReadAsReachAndMinutes() {
        SlaTiers t = SlaTiers.parse("sla-tiers", SlaTiers.DEFAULT);
        assertEquals(List.of(new SlaTiers.Tier(0, 1000, 60), new SlaTiers.Tier(1000, 100000, 30),
                new SlaTiers.Tier(100000, Long.MAX_VALUE, 15)), t.tiers());
        assertEquals(List.of("reach <1000", "reach 1000 to 99999", "reach >=100000"),
                t.tiers().stream().map(SlaTiers.Tier::label).toList());
        assertEquals(SlaTiers.DEFAULT, t.text());
        assertEquals("any reach", SlaTiers.parse("sla-tiers", "45").tiers().get(0).label());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlaTiers.parse("sla-tiers", "1000:60,500:30,15"))
                .getMessage().contains("must rise"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlaTiers.parse("sla-tiers", "1000:60"))
                .getMessage().startsWith("--sla-tiers: '1000:60' is not tiers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlaTiers.parse("sla-tiers", "1000:0,15"))
                .getMessage().contains("above 0"));
    }

    @Test
    void theDefinitionChecksEveryOptionByName() {
        var audit = Jobs.find("audit").orElseThrow();
        assertEquals(Map.of("quarter", "latest", "min_cell", 30, "sla_tiers", SlaTiers.DEFAULT, "private_hours", 24,
                "level", 0.95, "fdr", 0.05), Map.copyOf(audit.withDefaults().options()));
        assertEquals("2026Q3", audit.create(Map.of("quarter", "2026Q3")).options().get("quarter"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> audit.create(Map.of("min-cell", "1")))
                .getMessage().startsWith("--min-cell:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> audit.create(Map.of("private-hours", "0")))
                .getMessage().startsWith("--private-hours:"));
    }
}
