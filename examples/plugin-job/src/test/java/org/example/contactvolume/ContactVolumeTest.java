package org.example.contactvolume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.empathy.reports.io.ReportFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options and the files, on a hand-made outcome (no Spark). */
class ContactVolumeTest {

    static final ContactVolume.Outcome TWO_WEEKS = new ContactVolume.Outcome(
            new ContactVolume.Options(ContactVolume.Period.WEEK), List.of(
            new ContactVolume.Count(LocalDate.of(2026, 1, 5), "chat", 3),
            new ContactVolume.Count(LocalDate.of(2026, 1, 5), "phone", 1),
            new ContactVolume.Count(LocalDate.of(2026, 1, 12), "chat", 4)));

    @Test
    void optionsAreCheckedNamingTheOption() {
        assertEquals(ContactVolume.Period.MONTH, ContactVolume.Options.parse(Map.of("period", " Month")).period());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContactVolume.DEFINITION.create(Map.of("period", "day")));
        assertEquals("--period: must be week or month, got 'day'", e.getMessage());
    }

    @Test
    void writesTheCountsAndASummary(@TempDir Path dir) throws Exception {
        new ContactVolume(TWO_WEEKS.options()).write(TWO_WEEKS, ReportFolder.local(dir));
        assertEquals("period_start,channel,contacts\r\n2026-01-05,chat,3\r\n2026-01-05,phone,1\r\n"
                + "2026-01-12,chat,4\r\n", Files.readString(dir.resolve("volume.csv")));
        assertEquals("""
                # Contact volume

                8 contacts in 2 weeks, from the week starting 2026-01-05 to the week starting 2026-01-12.
                The busiest channel was chat, with 7 contacts (87.5%).

                | channel | contacts | share |
                |---|---:|---:|
                | chat | 7 | 87.5% |
                | phone | 1 | 12.5% |

                Counts per week and channel are in volume.csv.
                """, Files.readString(dir.resolve("summary.md")));
    }
}
