package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code empathy repeat-contacts} on the shipped sample: the counts add up in every file. */
class RepeatContactsIT {

    @TempDir
    static Path dir;

    @Test
    void countsAddUpAcrossPopulationRatesAndContrasts() throws IOException {
        MainIT.session();
        MainIT.Outcome o = MainIT.run("repeat-contacts", "--input", "../sample-data/data", "--output",
                dir.resolve("run").toString(), "--windows", "7,30");
        assertEquals(0, o.code(), o.err());
        Path out = dir.resolve("run/repeat-contacts");
        Map<String, Long> used = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("population.csv")).subList(1, 3)) {
            String[] p = line.split(",");
            assertEquals(30000, Long.parseLong(p[1]));
            assertEquals(Long.parseLong(p[1]), Long.parseLong(p[2]) + Long.parseLong(p[3]));
            used.put(p[0], Long.parseLong(p[3]));
        }
        // Every grouping splits the used contacts of its window exactly once.
        Map<String, Long> sums = new HashMap<>();
        List<String> rates = Files.readAllLines(out.resolve("rates.csv"));
        for (String line : rates.subList(1, rates.size())) {
            String[] p = line.split(",");
            sums.merge(p[0] + "/" + p[1], Long.parseLong(p[3]), Long::sum);
            double rate = Double.parseDouble(p[5]);
            assertTrue(Double.parseDouble(p[6]) <= rate && rate <= Double.parseDouble(p[7]), line);
        }
        for (String window : List.of("7", "30")) {
            for (String grouping : List.of("all", "documented", "empathy_band", "channel", "segment")) {
                assertEquals(used.get(window), sums.get(window + "/" + grouping), window + " " + grouping);
            }
        }
        List<String> contrasts = Files.readAllLines(out.resolve("contrasts.csv"));
        assertEquals(5, contrasts.size());
        assertTrue(contrasts.get(1).startsWith("7,risk_difference,-"), contrasts.get(1));
        // The adjusted logits use every uncensored contact (documented) and the scored ones (score).
        for (String line : Files.readAllLines(out.resolve("adjusted.csv"))) {
            String[] p = line.split(",");
            if (p[2].equals("empathy_documented")) {
                // The follow-up model also needs the control window, so it uses fewer contacts.
                if (p[1].equals("follow_up")) {
                    assertTrue(Long.parseLong(p[9]) < used.get(p[0]), line);
                } else {
                    assertEquals(used.get(p[0]), Long.parseLong(p[9]), line);
                }
                double or = Double.parseDouble(p[6]);
                assertTrue(Double.parseDouble(p[7]) < or && or < Double.parseDouble(p[8]), line);
            }
            if (p[2].equals("empathy_10")) {
                assertTrue(Long.parseLong(p[9]) < used.get(p[0]), line);
            }
        }
        // The chart decodes at slide width; the summary is a handful of plain sentences, no ids.
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("repeat_by_band.png").toFile());
        assertEquals(1280, png.getWidth());
        String summary = Files.readString(out.resolve("summary.md"));
        int sentences = summary.substring(summary.indexOf("\n\n") + 2).split("(?<=[.)])\\s+(?=[A-Z])").length;
        assertTrue(sentences >= 5 && sentences <= 9, sentences + " sentences: " + summary);
        assertTrue(summary.contains("20.5%"), summary);
        assertTrue(!summary.matches("(?s).*\\bC\\d{5,}.*"), "no customer ids");
    }
}
