package dev.empathy.jobs.fatigue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's options and its Spark-free rules: rotation's general shifts and the index bands. */
class FatigueOptionsTest {

    @Test
    void optionsAreReadFromTextAndCheckedByName() {
        Fatigue job = (Fatigue) Fatigue.DEFINITION.create(Map.of("high-queue", " High_Empathy ", "recent-days", "21",
                "rotation-share", "0.6", "bootstrap", "0"));
        assertEquals("high_empathy", job.options().get("high_queue"));
        assertEquals(21, job.options().get("recent_days"));
        assertEquals(0.6, job.options().get("rotation_share"));
        for (Map.Entry<String, String> bad : List.of(Map.entry("recent-days", "0"), Map.entry("recent-days", "x"),
                Map.entry("rotation-share", "0"), Map.entry("rotation-share", "1.5"),
                Map.entry("min-recent-shifts", "0"), Map.entry("bootstrap", "-1"), Map.entry("seed", "s"),
                Map.entry("high-queue", "  "))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Fatigue.DEFINITION.create(Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().startsWith("--" + bad.getKey() + ":"), e.getMessage());
        }
    }

    /**
     * Recent shifts oldest first, 1 = high-empathy, share 0.5: 0001111111 (7 of 10) needs 6
     * general shifts (after 5 the last ten hold 5 high, after 6 they hold 4); 1111100000 needs 1
     * (dropping the oldest leaves 4 of 10); 1111 needs 3 (3, 2, then 1 of 4), and 4 with a share of 0.2.
     */
    @Test
    void generalShiftsAreTheFewestAfterWhichTheShareFallsBelowTheThreshold() {
        assertEquals(6, Rotation.generalShifts(bits("0001111111"), 0.5));
        assertEquals(1, Rotation.generalShifts(bits("1111100000"), 0.5));
        assertEquals(3, Rotation.generalShifts(bits("1111"), 0.5));
        assertEquals(4, Rotation.generalShifts(bits("1111"), 0.2));
        assertEquals(2, Rotation.generalShifts(bits("01010"), 0.4));
    }

    @Test
    void indexBandsAreHoursOfDemandingWork() {
        assertEquals(List.of("0-8", "8-16", "16-24", "24-32", "32-40", "40+"), FatigueIndex.bands());
        assertEquals("0-8", FatigueIndex.band(0));
        assertEquals("8-16", FatigueIndex.band(8));
        assertEquals("40+", FatigueIndex.band(52.5));
    }

    private static boolean[] bits(String s) {
        boolean[] b = new boolean[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = s.charAt(i) == '1';
        }
        return b;
    }
}
