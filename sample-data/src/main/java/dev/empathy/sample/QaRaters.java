package dev.empathy.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The QA raters of a run: their ids, teams, planted biases and noise, and the calibration panel.
 * Drawn once per run from the run's seed (not a slice's), so a rater is the same person in every
 * slice of a large run; the draws come from a generator of their own, so no other table moves.
 *
 * <p>A rating is {@code latent empathy + bias[r] + team offset (+ drift) + noise}, noise normal
 * with the rater's own standard deviation, clamped to 0..100 and rounded to half points.
 */
final class QaRaters {

    private static final long RATER_SALT = 0x5DEECE66DL;

    final int count;
    final String[] id;
    final String[] team;
    /** The rater's own bias, drawn with sd {@link PlantedModel#QA_RATER_BIAS_SD}; the team's offset comes on top. */
    final double[] bias;
    final double[] noiseSd;
    /** The raters of the joint calibration sessions, by index. */
    final int[] panel;

    QaRaters(long runSeed) {
        count = PlantedModel.QA_RATERS_IN_HOUSE + PlantedModel.QA_RATERS_OUTSOURCED
                + PlantedModel.QA_RATERS_CALIBRATION;
        id = new String[count];
        team = new String[count];
        bias = new double[count];
        noiseSd = new double[count];
        SplittableRandom random = new SplittableRandom(runSeed ^ RATER_SALT);
        for (int r = 0; r < count; r++) {
            id[r] = String.format(Locale.ROOT, "R%02d", r + 1);
            team[r] = r < PlantedModel.QA_RATERS_IN_HOUSE ? "in_house"
                    : r < PlantedModel.QA_RATERS_IN_HOUSE + PlantedModel.QA_RATERS_OUTSOURCED ? "outsourced"
                    : "calibration";
            bias[r] = Draw.normal(random, 0, PlantedModel.QA_RATER_BIAS_SD);
            noiseSd[r] = PlantedModel.QA_NOISIER_RATERS.contains(id[r]) ? PlantedModel.QA_NOISIER_NOISE_SD
                    : PlantedModel.QA_NOISE_SD;
        }
        panel = PlantedModel.QA_SESSION_PANEL.stream().mapToInt(p -> Integer.parseInt(p.substring(1)) - 1).toArray();
    }

    /** What rater {@code r} adds to the latent empathy on {@code ratedDay} (days from the period start), noise aside. */
    double offset(int r, double ratedDay) {
        double offset = bias[r];
        if ("outsourced".equals(team[r])) {
            offset += PlantedModel.QA_OUTSOURCED_BIAS + PlantedModel.QA_OUTSOURCED_DRIFT_PER_MONTH * ratedDay / 30.4;
        }
        return offset;
    }

    /** Every rater as planted, for {@code truth.json}. */
    Map<String, Object> toTruth() {
        Map<String, Object> raters = new LinkedHashMap<>();
        for (int r = 0; r < count; r++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("team", team[r]);
            one.put("bias_points", bias[r]);
            one.put("noise_sd", noiseSd[r]);
            raters.put(id[r], one);
        }
        return raters;
    }

    List<String> panelIds() {
        List<String> ids = new ArrayList<>();
        for (int p : panel) {
            ids.add(id[p]);
        }
        return ids;
    }
}
