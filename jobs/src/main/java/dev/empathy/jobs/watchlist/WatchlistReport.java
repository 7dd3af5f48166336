package dev.empathy.jobs.watchlist;

import dev.empathy.jobs.watchlist.Watchlist.Count;
import dev.empathy.jobs.watchlist.Watchlist.Entry;
import dev.empathy.jobs.watchlist.Watchlist.Reason;
import dev.empathy.jobs.watchlist.Watchlist.Result;
import dev.empathy.jobs.watchlist.Watchlist.Status;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The files of {@code watchlist} (see docs/jobs/watchlist.md): {@code watchlist.csv}, the
 * operations file for the CRM (raw customer ids, their reasons and priority),
 * {@code watchlist_summary.csv} (counts by status, reason and segment), {@code population.csv} and
 * {@code summary.md}, which holds counts only: no customer id, no segment name.
 */
final class WatchlistReport {

    private WatchlistReport() {
    }

    static void write(Result result, ReportFolder folder) {
        result.steps().write(folder);
        List<List<Object>> listed = new ArrayList<>();
        for (Entry e : result.entries()) {
            listed.add(Arrays.asList(e.customerId(),
                    e.reasons().stream().map(Reason::label).collect(Collectors.joining(";")),
                    e.lastContactAt().toString(), e.priority(), e.score(), e.segment()));
        }
        CsvFile.write(folder, "watchlist.csv", List.of("customer_id", "reasons", "last_contact_at", "priority",
                "score", "segment"), listed);
        List<List<Object>> counts = new ArrayList<>();
        for (Count c : result.counts()) {
            counts.add(Arrays.asList(c.status().label(), c.reason(), c.segment(), c.customers(), note(result, c)));
        }
        CsvFile.write(folder, "watchlist_summary.csv", List.of("status", "reason", "segment", "customers", "note"),
                counts);
        folder.text("summary.md", summary(result));
    }

    /** Why a reason's count is empty: it could not be computed. */
    private static String note(Result result, Count c) {
        for (Map.Entry<Reason, String> e : result.notComputed().entrySet()) {
            if (e.getKey().label().equals(c.reason())) {
                return "not computed: " + e.getValue();
            }
        }
        return null;
    }

    private static String words(Reason reason) {
        return switch (reason) {
            case HOSTILE_LAST_CONTACT -> "hostile at the end of their last contact";
            case DETERIORATING_CONVERSATION -> "a conversation that deteriorated";
            case REPEAT_WITHIN_7D -> "a repeat contact within 7 days";
            case UNRESOLVED_PUBLIC_COMPLAINT -> "an unresolved public complaint";
        };
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder("# Watchlist\n\n");
        if (result.asOf() == null) {
            result.notes().forEach(n -> s.append(n).append('\n'));
            return s.toString();
        }
        long inWindow = result.steps().get("customers_in_window");
        long withReason = result.steps().get("customers_with_a_reason");
        long listed = result.steps().get("listed");
        s.append(String.format(Locale.ROOT, "As of %s (%s), looking back %d days (contacts after %s): %,d customers "
                        + "had a contact, %,d of them for at least one reason. %,d are listed in watchlist.csv for "
                        + "the CRM, priority 1 first.\n\n", result.asOf(),
                result.options().asOf() == null ? "the latest contact in the data" : "as asked",
                result.options().days(), result.windowStart(), inWindow, withReason, listed));
        if (inWindow == 0) {
            s.append("No customer had a contact in the window, so no one is listed.\n\n");
        }
        List<String> byReason = new ArrayList<>();
        for (Reason reason : Reason.values()) {
            if (result.notComputed().containsKey(reason)) {
                continue;
            }
            byReason.add(String.format(Locale.ROOT, "%,d %s", result.count(Status.LISTED, reason.label(),
                    Watchlist.ALL), words(reason)));
        }
        if (listed > 0 && !byReason.isEmpty()) {
            s.append("Of the listed customers (a customer can have several reasons): ")
                    .append(String.join("; ", byReason)).append(".\n\n");
        }
        s.append(String.format(Locale.ROOT, "Never listed: %,d customers who asked for emotion-free service "
                        + "(emotional_opt_out; %,d of them had a reason to be listed), %,d who churned on or before "
                        + "the as-of time (%,d with a reason), and %,d the customers table does not know, whose "
                        + "opt-out cannot be checked (%,d with a reason).\n\n",
                result.count(Status.EXCLUDED_OPTED_OUT, Watchlist.IN_WINDOW, Watchlist.ALL),
                result.steps().get("not_listed_opted_out"),
                result.count(Status.EXCLUDED_CHURNED, Watchlist.IN_WINDOW, Watchlist.ALL),
                result.steps().get("not_listed_churned"),
                result.count(Status.EXCLUDED_UNKNOWN_CUSTOMER, Watchlist.IN_WINDOW, Watchlist.ALL),
                result.steps().get("not_listed_unknown_customer")));
        for (Map.Entry<Reason, String> e : result.notComputed().entrySet()) {
            s.append(String.format(Locale.ROOT, "The reason %s could not be computed: %s; no customer is listed "
                    + "for it.\n\n", e.getKey().label(), e.getValue()));
        }
        result.notes().forEach(n -> s.append(n).append("\n\n"));
        s.append(String.format(Locale.ROOT, "Priority is %d minus the sum of the reasons' weights (hostile last "
                        + "contact %d, unresolved public complaint %d, deteriorating conversation %d, repeat within 7 "
                        + "days %d); ties go to the latest contact, then the customer id. watchlist.csv holds customer "
                        + "ids and is for the CRM only; this summary holds none.\n", Watchlist.MAX_SCORE + 1,
                Reason.HOSTILE_LAST_CONTACT.weight(), Reason.UNRESOLVED_PUBLIC_COMPLAINT.weight(),
                Reason.DETERIORATING_CONVERSATION.weight(), Reason.REPEAT_WITHIN_7D.weight()));
        return s.toString();
    }
}
