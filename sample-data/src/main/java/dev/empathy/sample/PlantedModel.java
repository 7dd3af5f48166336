package dev.empathy.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator's model: every planted effect, as constants, and its description written to
 * {@code truth.json}. {@code docs/generator.md} explains the model in prose; keep the two in step.
 *
 * <p>Sizes follow the contact-centre literature: operational metrics (speed) explain little of
 * CSAT, empathy explains more, and empathy matters more when the fix is slow.
 */
final class PlantedModel {

    static final Instant PERIOD_START = Instant.parse("2025-01-01T00:00:00Z");
    static final int PERIOD_DAYS = 365;
    static final int PERIOD_HOURS = PERIOD_DAYS * 24;

    // ---- categories and their weights -------------------------------------------------------
    static final List<String> CHANNELS = List.of("voice", "chat", "email", "messaging", "social");
    static final double[] CHANNEL_WEIGHTS = {0.40, 0.25, 0.15, 0.12, 0.08};

    static final List<String> REASONS = List.of(
            "billing", "technical", "account", "delivery", "complaint", "cancellation", "bereavement");
    static final double[] REASON_WEIGHTS = {0.25, 0.24, 0.14, 0.10, 0.14, 0.10, 0.03};
    /** Reasons routed to the high_empathy queue when one of its shifts is on. */
    static final List<String> SENSITIVE_REASONS = List.of("complaint", "cancellation", "bereavement");

    static final List<String> SEGMENTS = List.of("prepaid", "student", "standard", "premium", "business");
    static final double[] SEGMENT_WEIGHTS = {0.25, 0.10, 0.35, 0.15, 0.15};

    record Country(String code, String region, String language) {
    }

    static final List<Country> COUNTRIES = List.of(
            new Country("US", "north_america", "en"), new Country("CA", "north_america", "en"),
            new Country("GB", "emea", "en"), new Country("DE", "emea", "de"),
            new Country("FR", "emea", "fr"), new Country("ES", "emea", "es"),
            new Country("JP", "apac", "ja-JP"), new Country("AU", "apac", "en"),
            new Country("BR", "latam", "pt-BR"), new Country("MX", "latam", "es"));
    static final double[] COUNTRY_WEIGHTS = {0.28, 0.07, 0.12, 0.10, 0.07, 0.06, 0.08, 0.07, 0.09, 0.06};

    record Site(String name, String region, boolean outsourced) {
    }

    static final List<Site> SITES = List.of(
            new Site("austin", "north_america", false), new Site("dublin", "emea", false),
            new Site("leeds", "emea", false), new Site("manila", "apac", true),
            new Site("krakow", "emea", true), new Site("bogota", "latam", true));

    // ---- agents ---------------------------------------------------------------------------------
    static final int INTERACTIONS_PER_AGENT = 1000;
    static final int MIN_AGENTS = 50;
    static final int MAX_AGENTS = 5000;
    static final double AGENT_EMPATHY_SD = 7.0;
    static final double OUTSOURCED_EMPATHY_SHIFT = -3.0;
    static final double AGENT_CSAT_SD = 0.12;
    /** Confounding: resolution time multiplied by exp(this x agent empathy offset / AGENT_EMPATHY_SD). */
    static final double SLOWER_PER_AGENT_EMPATHY_SD = 0.06;
    static final double SHIFT_HOURS = 8;
    static final double HIGH_EMPATHY_TEAM_SHARE = 0.30;
    static final double HIGH_QUEUE_SHARE_TEAM = 0.45;
    static final double HIGH_QUEUE_SHARE_OTHERS = 0.10;
    static final double SCRIPTED_AGENT_SHARE = 0.15;
    static final double TRAINED_SHARE = 0.40;
    static final double TRAINED_BEFORE_SHARE = 0.05;
    static final double TRAINING_EMPATHY_POINTS = 5.0;
    /** Added to the customer's sentiment slope per exchange once the agent is trained (no anticipation). */
    static final double TRAINING_SENTIMENT_SLOPE = 0.02;
    static final double FATIGUE_AFTER_ONE_HIGH_SHIFT = 4.0;
    static final double FATIGUE_AFTER_TWO_HIGH_SHIFTS = 7.0;
    static final double PULSE_PARTICIPATION = 0.60;
    static final double PULSE_BASE = 1.6;
    static final double PULSE_PER_HIGH_SHIFT_LAST_7_DAYS = 0.45;
    static final double PULSE_NOISE_SD = 0.5;

    // ---- empathy --------------------------------------------------------------------------------
    static final double EMPATHY_MEAN = 62.0;
    static final double EMPATHY_NOISE_SD = 9.0;
    static final double SCORED_SHARE = 0.60;
    static final double DOCUMENTED_INTERCEPT = -0.4;
    static final double DOCUMENTED_PER_POINT = 0.09;

    // ---- CSAT -----------------------------------------------------------------------------------
    static final double CSAT_BASE = 4.05;
    /** Effect on expected CSAT of +10 empathy points, at the centring resolution time. */
    static final double CSAT_PER_10_EMPATHY = 0.25;
    static final double CSAT_PER_RESOLUTION_HOUR = -0.015;
    /** Empathy x speed: +10 points are worth this much more per extra hour of resolution time. */
    static final double CSAT_EMPATHY_X_HOURS = 0.003;
    static final double CSAT_INTERACTION_CENTRE_HOURS = 5.0;
    static final double CSAT_UNRESOLVED = -0.85;
    static final double CSAT_OUTSOURCED = -0.05;
    static final Map<String, Double> CSAT_CHANNEL = Map.of(
            "voice", 0.0, "chat", 0.05, "email", -0.10, "messaging", 0.05, "social", -0.15);
    static final Map<String, Double> CSAT_SEGMENT = Map.of(
            "prepaid", -0.05, "student", 0.05, "standard", 0.0, "premium", 0.05, "business", -0.10);
    static final Map<String, Double> CSAT_REASON = Map.of(
            "billing", 0.0, "technical", -0.10, "account", 0.05, "delivery", -0.05,
            "complaint", -0.35, "cancellation", -0.25, "bereavement", 0.10);
    /** By the customer's region; {@code oceania}, the small region split off apac, keeps apac's value. */
    static final Map<String, Double> CSAT_REGION = Map.of(
            "north_america", 0.0, "emea", -0.05, "apac", -0.10, "latam", 0.10, "oceania", -0.10);
    static final double CSAT_MONTH_AMPLITUDE = 0.04;
    static final Map<String, Double> RESPONSE_RATE = Map.of(
            "voice", 0.28, "chat", 0.30, "email", 0.18, "messaging", 0.20, "social", 0.12);
    static final double RESPONSE_UNRESOLVED = -0.04;

    // ---- resolution and operations ---------------------------------------------------------------
    static final Map<String, Double> RESOLUTION_MEDIAN_HOURS = Map.of(
            "voice", 0.5, "chat", 0.8, "email", 10.0, "messaging", 2.0, "social", 4.0);
    static final double RESOLUTION_SIGMA = 0.9;
    static final double RESOLUTION_CAP_HOURS = 240;
    static final double RESOLVED_INTERCEPT = 1.5;
    static final Map<String, Double> RESOLVED_REASON = Map.of(
            "billing", 0.3, "technical", -0.5, "account", 0.2, "delivery", 0.0,
            "complaint", -0.6, "cancellation", -0.3, "bereavement", 0.4);
    static final Map<String, Double> HANDLE_MEDIAN_SECONDS = Map.of(
            "voice", 420.0, "chat", 600.0, "email", 300.0, "messaging", 500.0, "social", 240.0);
    static final Map<String, Double> FIRST_RESPONSE_MEAN_MINUTES = Map.of(
            "voice", 1.5, "chat", 1.0, "email", 480.0, "messaging", 25.0, "social", 40.0);
    static final double OUTSOURCED_SOCIAL_RESPONSE_FACTOR = 1.4;
    static final double PUBLIC_SOCIAL_SHARE = 0.60;

    // ---- repeat contacts ------------------------------------------------------------------------
    static final double FOLLOW_UP_INTERCEPT = -2.2;
    static final double FOLLOW_UP_UNRESOLVED = 1.4;
    static final double FOLLOW_UP_DOCUMENTED = -0.5;
    static final double FOLLOW_UP_COMPLAINT = 0.3;
    static final double FOLLOW_UP_MIN_DAYS = 0.25;
    static final double FOLLOW_UP_MAX_DAYS = 7.0;
    static final Map<String, Double> EPISODES_PER_YEAR = Map.of(
            "prepaid", 2.5, "student", 2.0, "standard", 2.5, "premium", 3.0, "business", 4.0);

    // ---- churn ----------------------------------------------------------------------------------
    static final Map<String, Double> CHURN_PER_YEAR = Map.of(
            "prepaid", 0.50, "student", 0.40, "standard", 0.15, "premium", 0.10, "business", 0.06);
    /** Log hazard ratio per +10 points of the running mean empathy a customer has met. */
    static final Map<String, Double> CHURN_LOG_HR_PER_10 = Map.of(
            "prepaid", -0.40, "student", -0.35, "standard", -0.15, "premium", -0.10, "business", -0.05);
    static final double EXPOSURE_BEFORE_FIRST_CONTACT = 60.0;
    static final double SIGNUP_IN_PERIOD_SHARE = 0.15;
    static final double OPT_OUT_SHARE = 0.05;

    // ---- conversations --------------------------------------------------------------------------
    static final Map<String, Double> TRANSCRIPT_SHARE = Map.of(
            "voice", 0.06, "chat", 0.25, "email", 0.12, "messaging", 0.25, "social", 0.25);
    static final double SENTIMENT_GIVEN_SHARE = 0.5;
    /** Exchanges per conversation: EXCHANGES_MIN + Poisson(EXCHANGES_EXTRA_MEAN). */
    static final int EXCHANGES_MIN = 2;
    static final double EXCHANGES_EXTRA_MEAN = 2.5;
    static final double SENTIMENT_START = -0.30;
    static final double SENTIMENT_START_COMPLAINT = -0.25;
    static final double SENTIMENT_START_SD = 0.25;
    static final double SENTIMENT_SLOPE = 0.03;
    static final double SENTIMENT_SLOPE_DOCUMENTED = 0.07;
    static final double SENTIMENT_SLOPE_PER_10_EMPATHY = 0.03;
    static final double SENTIMENT_NOISE_SD = 0.12;
    /** Added to the customer's last exchange: customers close a resolved contact warmer, an unresolved one cooler. */
    static final double CLOSING_LIFT_RESOLVED = 0.40;
    static final double CLOSING_LIFT_UNRESOLVED = -0.10;
    static final double HOSTILE_BELOW = -0.35;
    static final double COOPERATIVE_ABOVE = 0.25;
    static final double PERSONAL_DATA_SHARE = 0.03;
    /** Customer turns too short to judge ("ok", "hm"), whatever the sentiment. */
    static final double UNCLEAR_SHARE = 0.06;
    /** A scripted agent's reply is a stock phrase with this probability. */
    static final double SCRIPTED_REPLY_SHARE = 0.4;

    // ---- the quarterly audit's plants (docs/generator.md, "Audit") --------------------------------
    /**
     * The cell whose QA empathy score falls: the region and channel of the contact, from the
     * quarter's first instant (2025Q4, the last complete quarter of the period) to the period's end.
     */
    static final String AUDIT_DROP_REGION = "latam";
    static final String AUDIT_DROP_CHANNEL = "chat";
    static final String AUDIT_DROP_QUARTER = "2025Q4";
    static final Instant AUDIT_DROP_FROM = Instant.parse("2025-10-01T00:00:00Z");
    static final Instant AUDIT_DROP_UNTIL = Instant.parse("2026-01-01T00:00:00Z");
    /** Points taken off the cell's QA empathy score (clamped at 0, rounded to 0.1 as every score). */
    static final double AUDIT_DROP_POINTS = 8.0;
    /** The quarter before, for the quarter-over-quarter truth. */
    static final String AUDIT_PREVIOUS_QUARTER = "2025Q3";
    static final Instant AUDIT_PREVIOUS_FROM = Instant.parse("2025-07-01T00:00:00Z");
    /**
     * The small region: this share of the customers drawn in {@link #SMALL_REGION_FROM_COUNTRY}
     * live in {@link #SMALL_REGION_COUNTRY} instead (same language, CSAT term and personal data
     * formats), about 0.3% of all customers.
     */
    static final Country SMALL_REGION_COUNTRY = new Country("NZ", "oceania", "en");
    static final String SMALL_REGION_FROM_COUNTRY = "AU";
    static final double SMALL_REGION_SHARE_OF_FROM = 0.04;
    /** The audit's default minimum of scored contacts a cell needs to be compared. */
    static final int AUDIT_MIN_SCORED = 30;
    /** Public posts' mean first response is multiplied by this in a region (1 elsewhere). */
    static final Map<String, Double> PUBLIC_RESPONSE_REGION_FACTOR = Map.of("apac", 2.0);
    /** Minutes at which the truth counts public posts answered in time (any SLA tier the audit picks among them). */
    static final List<Integer> PUBLIC_RESPONSE_TRUTH_MINUTES = List.of(15, 30, 60, 120, 240);
    /**
     * With an opted-out customer (emotional_opt_out), an empathetic, scripted or stock agent line
     * is kept with this probability and is otherwise a plain line: agents honour most opt-outs.
     */
    static final double OPT_OUT_EMPATHY_LINE_KEPT = 0.3;
    /** Agents who open almost every English conversation with one stock empathy phrase: this share, at least 3. */
    static final double STOCK_PHRASE_AGENT_SHARE = 0.05;
    static final int STOCK_PHRASE_AGENTS_MIN = 3;
    /** The share of a stock-phrase agent's English conversations whose first agent reply is the stock phrase. */
    static final double STOCK_PHRASE_USE = 0.9;
    /** Stock replies, each holding one {@code empathy_phrase} pattern of the en codebook (in brackets in the docs). */
    static final List<String> STOCK_PHRASES = List.of("I completely understand.", "I hear you.", "I can imagine.",
            "So sorry about that.", "That sounds difficult.");

    // ---- QA calibration -------------------------------------------------------------------------
    static final double QA_DOUBLE_RATED_SHARE = 0.06;
    static final int QA_RATERS_IN_HOUSE = 10;
    static final int QA_RATERS_OUTSOURCED = 8;
    static final int QA_RATERS_CALIBRATION = 4;
    static final double QA_OUTSOURCED_BIAS = 6.0;
    static final double QA_OUTSOURCED_DRIFT_PER_MONTH = 0.4;
    static final double QA_RATER_BIAS_SD = 2.0;
    static final double QA_NOISE_SD = 5.0;
    /** Raters whose ratings are noisier than the others': noise sd QA_NOISIER_NOISE_SD instead of QA_NOISE_SD. */
    static final List<String> QA_NOISIER_RATERS = List.of("R04", "R13", "R16");
    static final double QA_NOISIER_NOISE_SD = 10.0;
    /**
     * Joint calibration sessions: of the scored contacts no one else rates, this share is rated by
     * the whole panel (raters of every team) on the first day of the month after the contact, so
     * the panel's ratings form a complete block (every panel rater rates every session contact).
     */
    static final double QA_SESSION_SHARE = 0.004;
    static final List<String> QA_SESSION_PANEL = List.of("R01", "R02", "R11", "R12", "R19", "R20");

    private PlantedModel() {
    }

    /** Share of customers per language tag, from the country weights: the planted share of conversations. */
    static Map<String, Double> languageShares() {
        double total = 0;
        for (double w : COUNTRY_WEIGHTS) {
            total += w;
        }
        Map<String, Double> shares = new java.util.TreeMap<>();
        for (int i = 0; i < COUNTRIES.size(); i++) {
            shares.merge(COUNTRIES.get(i).language(), COUNTRY_WEIGHTS[i] / total, Double::sum);
        }
        return shares;
    }

    /** The planted truth, as written to {@code truth.json}: effects first, then the row counts. */
    static Map<String, Object> truth(GeneratorParams params, Map<String, Long> rowCounts, ConversationTruth text) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("generator", "empathy generate");
        t.put("seed", params.seed());
        t.put("interactions", params.interactions());
        t.put("period_start", PERIOD_START.toString());
        t.put("period_days", PERIOD_DAYS);
        t.put("csat", csatTruth());
        t.put("repeat_contacts", map(
                "mechanism", "after each contact a follow-up contact happens with probability "
                        + "logistic(intercept + unresolved + documented + complaint), "
                        + "after a delay uniform in [min_delay_days, max_delay_days]; customers also start "
                        + "new episodes at their own Poisson rate",
                "logit_intercept", FOLLOW_UP_INTERCEPT,
                "logit_unresolved", FOLLOW_UP_UNRESOLVED,
                "logit_empathy_documented", FOLLOW_UP_DOCUMENTED,
                "logit_complaint", FOLLOW_UP_COMPLAINT,
                "min_delay_days", FOLLOW_UP_MIN_DAYS,
                "max_delay_days", FOLLOW_UP_MAX_DAYS,
                "episodes_per_year_mean", EPISODES_PER_YEAR,
                "episode_rate_distribution", "gamma with shape 2 around the segment mean"));
        t.put("churn", map(
                "mechanism", "hazard(t) = base_per_year[segment] * exp(log_hr_per_10[segment] * "
                        + "(x(t) - 60) / 10), x(t) = mean empathy (latent, scored or not) of the "
                        + "customer's contacts so far, 60 before the first contact",
                "base_per_year", CHURN_PER_YEAR,
                "log_hr_per_10_empathy", CHURN_LOG_HR_PER_10,
                "high_churn_segments", List.of("prepaid", "student")));
        t.put("sentiment", map(
                "mechanism", "customer sentiment at exchange j = start + slope * j + noise "
                        + "(+ closing lift at the last exchange, by resolution), clamped to [-1, 1]; text tone from the value (hostile below -0.35, "
                        + "cooperative above 0.25); what was planted in the text is counted under the text key",
                "start_mean", SENTIMENT_START,
                "start_complaint", SENTIMENT_START_COMPLAINT,
                "start_sd", SENTIMENT_START_SD,
                "slope_per_exchange", SENTIMENT_SLOPE,
                "slope_documented_empathy", SENTIMENT_SLOPE_DOCUMENTED,
                "slope_per_10_empathy_points", SENTIMENT_SLOPE_PER_10_EMPATHY,
                "exchanges", "exchanges_min + Poisson(exchanges_extra_mean); customer first, then the agent",
                "exchanges_min", EXCHANGES_MIN,
                "exchanges_extra_mean", EXCHANGES_EXTRA_MEAN,
                "noise_sd", SENTIMENT_NOISE_SD,
                "closing_lift_resolved", CLOSING_LIFT_RESOLVED,
                "closing_lift_unresolved", CLOSING_LIFT_UNRESOLVED,
                "sentiment_column_given_share", SENTIMENT_GIVEN_SHARE,
                "personal_data_share_of_customer_turns", PERSONAL_DATA_SHARE));
        t.put("text", text.toTruth());
        t.put("fatigue", map(
                "empathy_points_after_one_high_empathy_shift", -FATIGUE_AFTER_ONE_HIGH_SHIFT,
                "empathy_points_after_two_high_empathy_shifts", -FATIGUE_AFTER_TWO_HIGH_SHIFTS,
                "pulse_fatigue_base", PULSE_BASE,
                "pulse_fatigue_per_high_empathy_shift_last_7_days", PULSE_PER_HIGH_SHIFT_LAST_7_DAYS));
        t.put("training", map(
                "empathy_points_after_training", TRAINING_EMPATHY_POINTS,
                "sentiment_slope_per_exchange_after_training", TRAINING_SENTIMENT_SLOPE,
                "mechanism", "from the instant of training on (nothing before it): latent empathy + "
                        + "empathy_points_after_training (so documented empathy is more likely and CSAT and the "
                        + "customer's sentiment slope rise through empathy), and the customer's sentiment slope + "
                        + "sentiment_slope_per_exchange_after_training directly; training dates uniform in "
                        + "training_days_from_period_start, independent of everything else",
                "trained_share", TRAINED_SHARE,
                "trained_before_period_share", TRAINED_BEFORE_SHARE,
                "training_days_from_period_start", List.of(60, 300),
                "effect_on_the_treated", text.training().toTruth()));
        QaRaters raters = new QaRaters(params.seed());
        t.put("calibration", map(
                "mechanism", "rating = clamp(latent empathy + raters[r].bias_points + rater_team_bias_points[team] "
                        + "+ (outsourced only) outsourced_drift_points_per_month * days from period_start to rated_at "
                        + "/ 30.4 + noise with raters[r].noise_sd, 0, 100), rounded to 0.5; the latent empathy is "
                        + "the interaction's empathy_score",
                "rater_team_bias_points", Map.of("in_house", 0.0, "outsourced", QA_OUTSOURCED_BIAS,
                        "calibration", 0.0),
                "lenient_team", "outsourced",
                "outsourced_drift_points_per_month", QA_OUTSOURCED_DRIFT_PER_MONTH,
                "drift_days_per_month", 30.4,
                "rater_bias_sd", QA_RATER_BIAS_SD,
                "noise_sd", QA_NOISE_SD,
                "noisier_raters", QA_NOISIER_RATERS,
                "noisier_noise_sd", QA_NOISIER_NOISE_SD,
                "raters", raters.toTruth(),
                "double_rated_share_of_scored", QA_DOUBLE_RATED_SHARE,
                "double_rating", "2 to 4 raters of all teams, rated 1 to 10 days after the contact",
                "sessions", map(
                        "share_of_scored_contacts_not_otherwise_rated", QA_SESSION_SHARE,
                        "panel", raters.panelIds(),
                        "rated_at", "the first day of the month after the contact")));
        t.put("empathy", map(
                "mechanism", "latent empathy = clamp(62 + agent offset + training - fatigue + reason "
                        + "+ noise, 0, 100); empathy_score is the latent value when scored",
                "mean", EMPATHY_MEAN,
                "agent_offset_sd", AGENT_EMPATHY_SD,
                "outsourced_shift", OUTSOURCED_EMPATHY_SHIFT,
                "noise_sd", EMPATHY_NOISE_SD,
                "reason_points", Map.of("complaint", -2.0, "bereavement", 4.0),
                "scored_share", SCORED_SHARE,
                "documented_logit", Map.of("intercept", DOCUMENTED_INTERCEPT,
                        "per_point_above_62", DOCUMENTED_PER_POINT)));
        t.put("rows", rowCounts);
        return t;
    }

    /**
     * Adds to {@code truth}'s {@code fatigue} what the penalty did to the contacts
     * ({@link FatigueTruth}) and how the pulse is drawn.
     */
    @SuppressWarnings("unchecked")
    static void addFatigue(Map<String, Object> truth, FatigueTruth fatigue) {
        Map<String, Object> f = (Map<String, Object>) truth.get("fatigue");
        f.put("mechanism", "latent empathy loses empathy_points_after_one_high_empathy_shift when the agent's "
                + "previous shift (whatever the gap) was high_empathy, empathy_points_after_two_high_empathy_shifts "
                + "when the two before were; weekly pulse fatigue = round(pulse_fatigue_base + "
                + "pulse_fatigue_per_high_empathy_shift_last_7_days * high_empathy shifts started in the 7 days "
                + "before the survey + noise), clamped to 1..5");
        f.put("pulse_noise_sd", PULSE_NOISE_SD);
        f.put("pulse_participation", PULSE_PARTICIPATION);
        f.putAll(fatigue.toTruth());
    }

    private static Map<String, Object> csatTruth() {
        return map(
                "mechanism", "E[csat] = mu, mu linear in the terms below, clamped to [1.05, 4.95]; "
                        + "csat = 1 + Binomial(4, s) or 1 + 4 * Bernoulli(s) with equal odds, s = (mu - 1) / 4, "
                        + "so the mean is exactly mu and the answers are J-shaped",
                "empathy_per_10_points", CSAT_PER_10_EMPATHY,
                "resolution_per_hour", CSAT_PER_RESOLUTION_HOUR,
                "empathy_per_10_x_resolution_hour", CSAT_EMPATHY_X_HOURS,
                "interaction_centred_at_hours", CSAT_INTERACTION_CENTRE_HOURS,
                "note_on_models", "in a model with empathy x hours on raw hours, the empathy coefficient is "
                        + "empathy_per_10_points - empathy_per_10_x_resolution_hour * interaction_centred_at_hours",
                "unresolved", CSAT_UNRESOLVED,
                "outsourced", CSAT_OUTSOURCED,
                "channel", CSAT_CHANNEL,
                "segment", CSAT_SEGMENT,
                "contact_reason", CSAT_REASON,
                "region", CSAT_REGION,
                "month_amplitude", CSAT_MONTH_AMPLITUDE,
                "agent_random_effect_sd", AGENT_CSAT_SD,
                "confounding", "agents one empathy sd above the mean resolve "
                        + "exp(" + SLOWER_PER_AGENT_EMPATHY_SD + ") times slower",
                "response_rate", RESPONSE_RATE,
                "response_rate_unresolved", RESPONSE_UNRESOLVED,
                "non_response", "depends on channel and resolution only (missing at random given them)");
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
