package dev.empathy.reports.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.reports.chart.AuditCharts.Change;
import dev.empathy.reports.chart.AuditCharts.Estimate;
import dev.empathy.reports.chart.AuditCharts.Flag;
import dev.empathy.reports.chart.AuditCharts.GapRow;
import dev.empathy.reports.chart.AuditCharts.HeatCell;
import dev.empathy.reports.chart.AuditCharts.Shares;
import dev.empathy.reports.io.ReportFolder;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditChartsTest {

    private static Charts.Drawing heatmap() {
        return AuditCharts.heatmap("Empathy", "2026Q3", "region", "channel", "score", List.of("North", "South"),
                List.of("voice", "chat"), List.of(
                        new HeatCell("North", "voice", 40, 120, Flag.BELOW, false),
                        new HeatCell("North", "chat", 70, 130, Flag.NONE, false),
                        new HeatCell("South", "voice", Double.NaN, 12, Flag.NONE, true),
                        new HeatCell("South", "chat", 80, 140, Flag.ABOVE, false)), 30, 1);
    }

    /** Each chart, drawn twice as PNG, gives the same bytes, at the size it names. */
    @Test
    void everyChartWritesTheSamePngTwice(@TempDir Path dir) throws IOException {
        List<Supplier<Charts.Drawing>> charts = List.of(AuditChartsTest::heatmap,
                () -> AuditCharts.changes("Change", "points", "change", List.of(
                        new Change("North / voice", -8.4, -11.9, -4.9, Flag.BELOW),
                        new Change("South / chat", Double.NaN, Double.NaN, Double.NaN, Flag.NONE)), 1),
                () -> AuditCharts.compliance("SLA", "public", "region", "within SLA", List.of("North", "South"),
                        List.of(new Shares("2026Q3", new double[] {0.8, Double.NaN}, new double[] {0.7, Double.NaN},
                                new double[] {0.9, Double.NaN})), 0.9),
                () -> AuditCharts.gap("Teams", "score", "score", "in-house", "outsourced", List.of(new GapRow("2026Q3",
                        new Estimate(65, 64, 66), new Estimate(61, 60, 62), new Estimate(4, 2.5, 5.5))), 1));
        ReportFolder folder = ReportFolder.local(dir);
        for (int i = 0; i < charts.size(); i++) {
            Charts.Drawing a = charts.get(i).get();
            a.write(folder, i + "a.png");
            charts.get(i).get().write(folder, i + "b.png");
            byte[] first = Files.readAllBytes(dir.resolve(i + "a.png"));
            assertEquals(-1, java.util.Arrays.mismatch(first, Files.readAllBytes(dir.resolve(i + "b.png"))), "chart " + i);
            BufferedImage image = ImageIO.read(dir.resolve(i + "a.png").toFile());
            assertEquals(a.width(), image.getWidth());
            assertEquals(a.height(), image.getHeight());
        }
    }

    /** The flagged cells carry their outlines' colours, the suppressed cell its grey. */
    @Test
    void flaggedAndSuppressedCellsAreMarked() {
        Charts.Drawing d = heatmap();
        BufferedImage image = d.chart().createBufferedImage(d.width(), d.height());
        assertTrue(share(image, AuditCharts.BELOW) > 0.001, "no red outline");
        assertTrue(share(image, AuditCharts.ABOVE_EDGE) > 0.001, "no amber outline");
        assertTrue(share(image, AuditCharts.SUPPRESSED) > 0.02, "no grey cell");
    }

    @Test
    void aCellOutsideTheGridIsRefusedWithTheChartNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditCharts.heatmap("Empathy",
                "", "region", "channel", "score", List.of("North"), List.of("voice"),
                List.of(new HeatCell("East", "voice", 50, 40, Flag.NONE, false)), 30, 1));
        assertEquals("heat map 'Empathy': cell (East, voice) is outside the rows [North] and columns [voice]",
                e.getMessage());
    }

    @Test
    void labelsCarryTheFiguresWithSigns() {
        assertEquals("-8.4 (-11.9 to -4.9)", AuditCharts.withInterval(-8.4, -11.9, -4.9, 1));
        assertEquals("+4.6 (+1.8 to +7.4)", AuditCharts.withInterval(4.6, 1.8, 7.4, 1));
        assertEquals("+0.40", AuditCharts.withInterval(0.4, Double.NaN, 1, 2));
        assertEquals("no estimate", AuditCharts.withInterval(Double.NaN, 0, 1, 1));
    }

    private static double share(BufferedImage image, Color colour) {
        long hits = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    hits++;
                }
            }
        }
        return hits / (double) (image.getWidth() * image.getHeight());
    }
}
