package dev.empathy.jobs.fatigue;

import dev.empathy.jobs.spark.Deterministic;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shifts of every agent, sorted by start, to find the shift that holds a contact by binary
 * search ({@link ShiftAssignment}'s driver route): built on the driver from the collected shifts,
 * broadcast, and asked once per contact, with no shuffle of the contacts.
 *
 * <p>The shifts that hold an instant {@code t} are those with {@code start <= t < end}. The
 * search finds the last shift that starts at or before {@code t}, then walks back while the
 * latest end among the shifts up to there ({@code reach}, a running maximum) is after {@code t}:
 * before that point no shift can hold it. On the usual roster (shifts that do not overlap, or
 * overlap their neighbour) the walk is one or two steps.
 */
final class ShiftIndex implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One shift as collected: times in microseconds since the epoch (Spark's {@code unix_micros}). */
    record Shift(String agentId, String shiftId, long start, long end) {
    }

    /**
     * What the index says of one contact: the shift it belongs to (null when none holds it), how
     * many shifts held it, and whether its agent has shifts at all.
     */
    record Match(String shiftId, long matches, boolean agentHasShifts) {
    }

    /** One agent's shifts in order of start, then shift id; {@code reach[i]} = max of {@code end[0..i]}. */
    private record Agent(long[] start, long[] end, long[] reach, String[] id) implements Serializable {
    }

    /** Orders shift ids as Spark orders strings: by their UTF-8 bytes, unsigned. */
    static final Comparator<String> ID_ORDER = Deterministic.STRING_ORDER;

    private static final Match NO_AGENT = new Match(null, 0, false);
    private static final Match NO_SHIFT = new Match(null, 0, true);

    private final HashMap<String, Agent> agents;

    private ShiftIndex(HashMap<String, Agent> agents) {
        this.agents = agents;
    }

    /** The index of {@code shifts} (any order; every field given, shift ids unique). */
    static ShiftIndex of(List<Shift> shifts) {
        Map<String, List<Shift>> byAgent = new HashMap<>();
        for (Shift s : shifts) {
            byAgent.computeIfAbsent(s.agentId(), k -> new ArrayList<>()).add(s);
        }
        HashMap<String, Agent> agents = new HashMap<>();
        Comparator<Shift> order = Comparator.comparingLong(Shift::start).thenComparing(Shift::shiftId, ID_ORDER);
        byAgent.forEach((agent, list) -> {
            list.sort(order);
            int n = list.size();
            long[] start = new long[n];
            long[] end = new long[n];
            long[] reach = new long[n];
            String[] id = new String[n];
            for (int i = 0; i < n; i++) {
                Shift s = list.get(i);
                start[i] = s.start();
                end[i] = s.end();
                reach[i] = i == 0 ? s.end() : Math.max(reach[i - 1], s.end());
                id[i] = s.shiftId();
            }
            agents.put(agent, new Agent(start, end, reach, id));
        });
        return new ShiftIndex(agents);
    }

    /**
     * The shift of {@code agentId} that holds {@code at} (microseconds since the epoch): of the
     * shifts with {@code start <= at < end}, the one that started last, ties by the smaller
     * shift id. A null agent or time holds no shift.
     */
    Match find(String agentId, Long at) {
        Agent a = agentId == null ? null : agents.get(agentId);
        if (a == null) {
            return NO_AGENT;
        }
        if (at == null) {
            return NO_SHIFT;
        }
        long t = at;
        String best = null;
        long bestStart = 0;
        long matches = 0;
        for (int i = lastStartingBy(a.start(), t); i >= 0 && a.reach()[i] > t; i--) {
            if (a.end()[i] > t) {
                matches++;
                long s = a.start()[i];
                if (best == null || s > bestStart || (s == bestStart && ID_ORDER.compare(a.id()[i], best) < 0)) {
                    best = a.id()[i];
                    bestStart = s;
                }
            }
        }
        return best == null ? NO_SHIFT : new Match(best, matches, true);
    }

    /** The index of the last start at or before {@code t}, -1 when every start is after it. */
    private static int lastStartingBy(long[] start, long t) {
        int lo = 0;
        int hi = start.length;
        // Invariant: start[0..lo) <= t, start[hi..) > t.
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}
