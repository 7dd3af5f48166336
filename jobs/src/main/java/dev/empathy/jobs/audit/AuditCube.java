package dev.empathy.jobs.audit;

import static dev.empathy.jobs.spark.Deterministic.exactSum;
import static dev.empathy.jobs.spark.Deterministic.exactSumOfParts;
import static dev.empathy.jobs.spark.Deterministic.exactSumParts;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.audit.Audit.Cell;
import dev.empathy.jobs.audit.Audit.Change;
import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.stats.BenjaminiHochberg;
import dev.empathy.lib.stats.ClusteredDifference;
import dev.empathy.lib.stats.ClusteredMean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The region x channel x team-type cube of both quarters and the quarter-over-quarter changes, in
 * three aggregations over the contacts whatever the number of cells.
 *
 * <ol>
 * <li>Every contact is counted in the 8 cells it belongs to (each dimension as itself or
 *     {@value Audit#ALL}: the grouping sets of a cube) per agent: contacts, scored contacts and
 *     their score sum, documented, CSAT answers, top-box answers, uncensored and repeated
 *     contacts. Scores are summed less 50, the middle of the scale: the differences and their
 *     errors do not change, and the squares summed below stay small.</li>
 * <li>Per cell, those sums and the moments (sums of squares and cross products) of each agent's
 *     counts and sums in the cell and outside it, with the agent's whole quarter from the cell
 *     (all, all, all). {@link ClusteredDifference} turns them into the cell's mean minus the rest of
 *     the quarter's with CR1 errors clustered by agent, exactly the regression of the score on an
 *     in-cell indicator; {@link ClusteredMean#fromMoments} gives the mean's interval. Agents with no
 *     contact in a cell enter through the quarter's totals less the cell's agents'.</li>
 * <li>Per cell, each agent's scored contacts and sums in the audited and the previous quarter:
 *     the moments of the regression of the score on the quarter, clustered by agent (an agent
 *     seen in both quarters is one cluster), for the change.</li>
 * </ol>
 */
final class AuditCube {

    /** The scores are summed less this: the middle of the 0..100 scale. */
    static final double CENTRE = 50;

    /** The cube's cells of both quarters and the changes of every cell, in file order. */
    record Cube(List<Cell> cells, List<Change> changes) {
    }

    private AuditCube() {
    }

    static Cube compute(Dataset<Row> contacts, Quarter now, Quarter before, int minCell) {
        Dataset<Row> agentCells = agentCells(contacts).persist();
        try {
            List<Cell> cells = new ArrayList<>();
            for (Quarter q : List.of(before, now)) {
                cells.addAll(adjust(cells(agentCells, q, minCell)));
            }
            List<Change> changes = changes(agentCells, now, before, minCell);
            return new Cube(cells, changes);
        } finally {
            agentCells.unpersist();
        }
    }

    /**
     * Step 1: per quarter, cell and agent; a margin is null here. The contacts are first summed
     * per quarter, region, channel, team type and agent (far fewer rows than contacts), and those
     * sums are counted into the 8 cells: the same totals as counting every contact into its 8
     * cells. Counts and long sums are exact either way; the score sum keeps its
     * {@link Deterministic#exactSumParts parts} (the exact decimal sum, not yet a double) to the
     * second sum, so it is rounded once and has the bits of one {@link Deterministic#exactSum}
     * over the contacts. The fallback for a score without a decimal (NaN, infinite) is NaN or an
     * infinity either way; it does not arise here, as the contract takes {@code empathy_score}
     * only finite and within 0..100 ({@code Rule.Range}).
     */
    static Dataset<Row> agentCells(Dataset<Row> contacts) {
        Column scored = col("score").isNotNull();
        Column answered = col("csat").isNotNull();
        List<Column> sums = new ArrayList<>(List.of(count(col("score")).as("n")));
        sums.addAll(exactSumParts(when(scored, col("score").minus(CENTRE)).otherwise(0.0), "s"));
        sums.addAll(List.of(sum(col("documented").cast("long")).as("documented"),
                count(col("csat")).as("answers"), sum(when(answered, col("csat")).otherwise(0)).as("csat_sum"),
                sum(when(col("csat").geq(4), 1L).otherwise(0L)).as("top_box"),
                count(col("repeat_7d")).as("repeat_known"),
                sum(when(col("repeat_7d").equalTo(1), 1L).otherwise(0L)).as("repeats")));
        Dataset<Row> perAgent = contacts.groupBy(col("quarter"), col("region"), col("channel"), col("team_type"),
                col("agent_id")).agg(count(lit(1)).as("contacts"), sums.toArray(Column[]::new));

        Column none = lit(null).cast("string");
        List<Column> sets = new ArrayList<>();
        for (int mask = 0; mask < 8; mask++) {
            sets.add(struct(((mask & 4) == 0 ? col("region") : none).as("region"),
                    ((mask & 2) == 0 ? col("channel") : none).as("channel"),
                    ((mask & 1) == 0 ? col("team_type") : none).as("team_type")));
        }
        return perAgent.withColumn("cell", explode(array(sets.toArray(Column[]::new))))
                .groupBy(col("quarter"), col("cell.region").as("region"), col("cell.channel").as("channel"),
                        col("cell.team_type").as("team_type"), col("agent_id"))
                .agg(sum(col("contacts")).as("contacts"), sum(col("n")).as("n"), exactSumOfParts("s").as("s"),
                        sum(col("documented")).as("documented"), sum(col("answers")).as("answers"),
                        sum(col("csat_sum")).as("csat_sum"), sum(col("top_box")).as("top_box"),
                        sum(col("repeat_known")).as("repeat_known"), sum(col("repeats")).as("repeats"));
    }

    /** Steps 2: the cells of one quarter, BH not yet applied. */
    static List<Cell> cells(Dataset<Row> agentCells, Quarter q, int minCell) {
        Dataset<Row> ofQuarter = agentCells.filter(col("quarter").equalTo(q.toString()));
        Dataset<Row> totals = ofQuarter.filter(col("region").isNull().and(col("channel").isNull())
                        .and(col("team_type").isNull()))
                .select(col("agent_id"), col("n").cast("double").as("bn"), col("s").as("bs"));
        Column n = col("n").cast("double");
        Column s = col("s");
        Column n0 = col("bn").minus(n);
        Column s0 = col("bs").minus(s);
        Dataset<Row> sums = ofQuarter.join(totals, "agent_id")
                .groupBy(col("region"), col("channel"), col("team_type"))
                .agg(sum(col("contacts")).as("contacts"), sum(col("n")).as("n"), exactSum(s).as("s"),
                        sum(col("documented")).as("documented"), sum(col("answers")).as("answers"),
                        sum(col("csat_sum")).as("csat_sum"), sum(col("top_box")).as("top_box"),
                        sum(col("repeat_known")).as("repeat_known"), sum(col("repeats")).as("repeats"),
                        count(when(col("n").gt(0), 1)).as("agents"),
                        count(when(col("bn").gt(0), 1)).as("compared"),
                        exactSum(n.multiply(n)).as("nn"), exactSum(n.multiply(s)).as("ns"),
                        exactSum(s.multiply(s)).as("ss"),
                        exactSum(n0).as("n0"), exactSum(s0).as("s0"), exactSum(n0.multiply(n0)).as("n0n0"),
                        exactSum(n0.multiply(s0)).as("n0s0"), exactSum(s0.multiply(s0)).as("s0s0"),
                        exactSum(n.multiply(n0)).as("nn0"), exactSum(n.multiply(s0)).as("ns0"),
                        exactSum(s.multiply(n0)).as("sn0"), exactSum(s.multiply(s0)).as("ss0"),
                        exactSum(col("bn")).as("bn"), exactSum(col("bs")).as("bs"),
                        exactSum(col("bn").multiply(col("bn"))).as("bnbn"),
                        exactSum(col("bn").multiply(col("bs"))).as("bnbs"),
                        exactSum(col("bs").multiply(col("bs"))).as("bsbs"))
                .orderBy(col("region"), col("channel"), col("team_type"));
        List<Row> rows = sums.collectAsList();
        Row total = null;
        for (Row r : rows) {
            if (r.isNullAt(0) && r.isNullAt(1) && r.isNullAt(2)) {
                total = r;
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(cell(q, r, total, minCell));
        }
        cells.sort(ORDER);
        return cells;
    }

    /** Cells in file order: the margins first in each dimension, then the levels alphabetically. */
    static final Comparator<Cell> ORDER = Comparator.comparing(Cell::quarter)
            .thenComparing(Cell::region, AuditCube::compareLevels)
            .thenComparing(Cell::channel, AuditCube::compareLevels)
            .thenComparing(Cell::teamType, AuditCube::compareLevels);

    static int compareLevels(String a, String b) {
        boolean allA = a.equals(Audit.ALL);
        boolean allB = b.equals(Audit.ALL);
        if (allA != allB) {
            return allA ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static Cell cell(Quarter q, Row r, Row total, int minCell) {
        long contacts = r.getAs("contacts");
        long scored = r.getAs("n");
        long agents = r.getAs("agents");
        String region = level(r, 0);
        String channel = level(r, 1);
        String team = level(r, 2);
        double nan = Double.NaN;
        if (scored < minCell) {
            return new Cell(q.toString(), region, channel, team, contacts, scored, agents, nan, nan, nan, nan,
                    r.getAs("answers"), nan, nan, r.getAs("repeat_known"), nan, nan, nan, nan, nan, nan, "", true,
                    total == null ? 0 : total.<Long>getAs("compared"));
        }
        double s = r.getAs("s");
        ClusteredMean.Result mean = ClusteredMean.fromMoments(scored, s, agents, r.getAs("nn"), r.getAs("ns"),
                r.getAs("ss"), Audit.LEVEL);
        long answers = r.getAs("answers");
        long repeatKnown = r.getAs("repeat_known");
        double documented = ratio(r.<Long>getAs("documented"), contacts);
        double csat = answers == 0 ? nan : r.<Long>getAs("csat_sum") / (double) answers;
        double topBox = ratio(r.<Long>getAs("top_box"), answers);
        double repeat = ratio(r.<Long>getAs("repeats"), repeatKnown);
        ClusteredDifference.Result vsRest = versusRest(r, total);
        return new Cell(q.toString(), region, channel, team, contacts, scored, agents, mean.mean() + CENTRE,
                mean.low() + CENTRE, mean.high() + CENTRE, documented, answers, csat, topBox, repeatKnown, repeat,
                vsRest.difference(), vsRest.low(), vsRest.high(), vsRest.pValue(), nan, "", false, vsRest.clusters());
    }

    /**
     * The cell against the rest of its quarter: the cell's agents as clusters with their scored
     * contacts in and outside the cell, and every other agent of the quarter with all of theirs
     * outside it (the quarter's totals less the cell's agents' totals).
     */
    static ClusteredDifference.Result versusRest(Row r, Row total) {
        ClusteredDifference.Moments inCell = new ClusteredDifference.Moments(r.<Long>getAs("compared"),
                r.getAs("n"), r.getAs("s"), Math.round(r.<Double>getAs("n0")), r.getAs("s0"), r.getAs("nn"),
                r.getAs("ns"), r.getAs("ss"), r.getAs("n0n0"), r.getAs("n0s0"), r.getAs("s0s0"), r.getAs("nn0"),
                r.getAs("ns0"), r.getAs("sn0"), r.getAs("ss0"));
        ClusteredDifference.Moments others = ClusteredDifference.Moments.EMPTY;
        if (total != null) {
            others = new ClusteredDifference.Moments(total.<Long>getAs("compared") - r.<Long>getAs("compared"), 0, 0,
                    Math.round(total.<Double>getAs("bn") - r.<Double>getAs("bn")),
                    total.<Double>getAs("bs") - r.<Double>getAs("bs"), 0, 0, 0,
                    total.<Double>getAs("bnbn") - r.<Double>getAs("bnbn"),
                    total.<Double>getAs("bnbs") - r.<Double>getAs("bnbs"),
                    total.<Double>getAs("bsbs") - r.<Double>getAs("bsbs"), 0, 0, 0, 0);
        }
        return ClusteredDifference.of(inCell.plus(others), Audit.LEVEL);
    }

    /** Benjamini-Hochberg over the quarter's unsuppressed cells with a p-value, and the flags. */
    static List<Cell> adjust(List<Cell> cells) {
        double[] p = new double[cells.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = cells.get(i).suppressed() ? Double.NaN : cells.get(i).pValue();
        }
        double[] q = BenjaminiHochberg.adjust(p);
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            Cell c = cells.get(i);
            String flag = q[i] < Audit.FDR ? (c.diffVsRest() < 0 ? "below" : "above") : "";
            out.add(new Cell(c.quarter(), c.region(), c.channel(), c.teamType(), c.contacts(), c.scored(),
                    c.agents(), c.empathyMean(), c.ciLow(), c.ciHigh(), c.documentedShare(), c.answers(),
                    c.csatMean(), c.topBox(), c.repeatKnown(), c.repeat7d(), c.diffVsRest(), c.diffLow(),
                    c.diffHigh(), c.pValue(), q[i], flag, c.suppressed(), c.comparedAgents()));
        }
        return out;
    }

    /** Step 3: every cell's change, with BH over the unsuppressed changes with a p-value. */
    static List<Change> changes(Dataset<Row> agentCells, Quarter now, Quarter before, int minCell) {
        Column isNow = col("quarter").equalTo(now.toString());
        Dataset<Row> perAgent = agentCells.filter(col("n").gt(0))
                .groupBy(col("region"), col("channel"), col("team_type"), col("agent_id"))
                .agg(sum(when(isNow, col("n")).otherwise(0L)).cast("double").as("n1"),
                        exactSum(when(isNow, col("s")).otherwise(0.0)).as("s1"),
                        sum(when(isNow, 0L).otherwise(col("n"))).cast("double").as("n0"),
                        exactSum(when(isNow, 0.0).otherwise(col("s"))).as("s0"));
        Column n1 = col("n1");
        Column s1 = col("s1");
        Column n0 = col("n0");
        Column s0 = col("s0");
        List<Row> rows = perAgent.groupBy(col("region"), col("channel"), col("team_type"))
                .agg(count(lit(1)).as("agents"), exactSum(n1).as("n1"), exactSum(s1).as("s1"), exactSum(n0).as("n0"),
                        exactSum(s0).as("s0"), exactSum(n1.multiply(n1)), exactSum(n1.multiply(s1)),
                        exactSum(s1.multiply(s1)),
                        exactSum(n0.multiply(n0)), exactSum(n0.multiply(s0)), exactSum(s0.multiply(s0)),
                        exactSum(n1.multiply(n0)),
                        exactSum(n1.multiply(s0)), exactSum(s1.multiply(n0)), exactSum(s1.multiply(s0)))
                .collectAsList();
        List<Change> raw = new ArrayList<>();
        for (Row r : rows) {
            ClusteredDifference.Moments m = new ClusteredDifference.Moments(r.getLong(3),
                    Math.round(r.getDouble(4)), r.getDouble(5), Math.round(r.getDouble(6)), r.getDouble(7),
                    r.getDouble(8), r.getDouble(9), r.getDouble(10), r.getDouble(11), r.getDouble(12),
                    r.getDouble(13), r.getDouble(14), r.getDouble(15), r.getDouble(16), r.getDouble(17));
            long scoredNow = m.n1();
            long scoredBefore = m.n0();
            boolean suppressed = scoredNow < minCell || scoredBefore < minCell;
            double nan = Double.NaN;
            String region = level(r, 0);
            String channel = level(r, 1);
            String team = level(r, 2);
            if (suppressed) {
                raw.add(new Change(region, channel, team, scoredBefore, scoredNow, nan, nan, nan, nan, nan, nan, nan,
                        m.clusters(), true));
                continue;
            }
            ClusteredDifference.Result d = ClusteredDifference.of(m, Audit.LEVEL);
            raw.add(new Change(region, channel, team, scoredBefore, scoredNow, d.meanZero() + CENTRE,
                    d.meanOne() + CENTRE, d.difference(), d.low(), d.high(), d.pValue(), nan, d.clusters(), false));
        }
        raw.sort(Comparator.comparing(Change::region, AuditCube::compareLevels)
                .thenComparing(Change::channel, AuditCube::compareLevels)
                .thenComparing(Change::teamType, AuditCube::compareLevels));
        double[] p = raw.stream().mapToDouble(c -> c.suppressed() ? Double.NaN : c.pValue()).toArray();
        double[] q = BenjaminiHochberg.adjust(p);
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < q.length; i++) {
            Change c = raw.get(i);
            out.add(new Change(c.region(), c.channel(), c.teamType(), c.scoredBefore(), c.scoredNow(), c.meanBefore(),
                    c.meanNow(), c.change(), c.ciLow(), c.ciHigh(), c.pValue(), q[i], c.agents(), c.suppressed()));
        }
        return out;
    }

    /** A dimension's value: a margin (null in the aggregation) is {@value Audit#ALL}. */
    private static String level(Row r, int i) {
        return r.isNullAt(i) ? Audit.ALL : r.getString(i);
    }

    private static double ratio(long x, long n) {
        return n == 0 ? Double.NaN : (double) x / n;
    }

    static Map<String, Cell> byKey(List<Cell> cells) {
        Map<String, Cell> map = new HashMap<>();
        cells.forEach(c -> map.put(c.quarter() + "|" + c.region() + "|" + c.channel() + "|" + c.teamType(), c));
        return map;
    }
}
