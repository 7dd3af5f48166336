package dev.empathy.jobs.audit;

import dev.empathy.jobs.audit.Audit.Cell;
import dev.empathy.jobs.audit.Audit.Change;
import dev.empathy.jobs.audit.Audit.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The candidate findings of an audit, largest first within each kind: the significant declines
 * and improvements from the previous quarter (q below {@link Audit#FDR}), then the audited
 * quarter's cells flagged below and above the rest of the organisation. At most {@link #PER_KIND}
 * of each; the report chooses among them.
 */
final class Findings {

    static final int PER_KIND = 6;

    private Findings() {
    }

    static List<Finding> of(AuditCube.Cube cube, Quarter now) {
        List<Change> significant = cube.changes().stream()
                .filter(c -> !c.suppressed() && c.qValue() < Audit.FDR).toList();
        List<Finding> out = new ArrayList<>();
        significant.stream().filter(c -> c.change() < 0).sorted(Comparator.comparingDouble(Change::change))
                .limit(PER_KIND).forEach(c -> out.add(change("decline", c)));
        significant.stream().filter(c -> c.change() > 0).sorted(Comparator.comparingDouble(Change::change).reversed())
                .limit(PER_KIND).forEach(c -> out.add(change("improvement", c)));
        List<Cell> flagged = cube.cells().stream().filter(c -> c.quarter().equals(now.toString()))
                .filter(c -> !c.flag().isEmpty()).toList();
        flagged.stream().filter(c -> c.flag().equals("below")).sorted(Comparator.comparingDouble(Cell::diffVsRest))
                .limit(PER_KIND).forEach(c -> out.add(cell(c)));
        flagged.stream().filter(c -> c.flag().equals("above"))
                .sorted(Comparator.comparingDouble(Cell::diffVsRest).reversed())
                .limit(PER_KIND).forEach(c -> out.add(cell(c)));
        return out;
    }

    private static Finding change(String kind, Change c) {
        return new Finding(kind, c.region(), c.channel(), c.teamType(), c.change(), c.ciLow(), c.ciHigh(), c.qValue(),
                c.scoredNow());
    }

    private static Finding cell(Cell c) {
        return new Finding(c.flag(), c.region(), c.channel(), c.teamType(), c.diffVsRest(), c.diffLow(), c.diffHigh(),
                c.qValue(), c.scored());
    }
}
