package dev.empathy.jobs.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import dev.empathy.lib.contract.Contract;
import dev.empathy.reports.document.Viewers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.text.StringEscapeUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit on a hand-made fixture: four agents (a1, a2 in-house; a3, a4 outsourced), two
 * regions and three channels over 2025Q1 and 2025Q2, run with {@code --min-cell 2}. The data end on
 * 30 June 12:00, the last day of 2025Q2, so the default audits 2025Q2 against 2025Q1.
 *
 * <p>Scored contacts (id customer agent time region channel score documented):
 * <pre>
 * p1 c31 a1 2025-01-10 10:00 emea chat 66.0 true
 * p2 c32 a1 2025-01-11 10:00 emea voice 70.0 true
 * p3 c33 a2 2025-01-12 10:00 emea chat 75.0 true
 * p4 c34 a2 2025-01-13 10:00 apac voice 58.0 false
 * p5 c35 a3 2025-02-14 10:00 apac chat 57.0 false
 * p6 c36 a3 2025-02-15 10:00 emea chat 60.0 true
 * p7 c37 a4 2025-02-16 10:00 apac voice 49.0 false
 * p8 c38 a4 2025-03-17 10:00 emea chat 54.0 false
 * p9 c39 a1 2025-03-18 10:00 apac chat 64.0 true
 * p10 c40 a3 2025-03-19 10:00 apac voice 52.0 false
 * q1 c1 a1 2025-04-10 10:00 emea chat 70.0 true
 * q2 c2 a1 2025-04-11 10:00 emea voice 74.0 true
 * q3 c3 a1 2025-04-12 10:00 apac chat 66.0 false
 * q4 c4 a2 2025-04-13 10:00 emea chat 80.0 true
 * q5 c5 a2 2025-04-14 10:00 apac voice 60.0 false
 * q6 c6 a2 2025-04-15 10:00 emea chat 78.0 true
 * q7 c7 a3 2025-04-16 10:00 apac chat 55.0 false
 * q8 c8 a3 2025-04-17 09:00 apac voice 58.0 false
 * q9 c9 a3 2025-04-18 10:00 emea chat 62.0 true
 * q10 c1 a4 2025-04-17 10:00 emea voice 50.0 false
 * q11 c10 a4 2025-05-01 10:00 apac chat 52.0 false
 * q11b c10 a4 2025-05-01 10:00 apac chat null false
 * q12 c11 a4 2025-05-02 10:00 apac chat null true
 * q13 c11 a1 2025-05-05 10:00 emea chat 68.0 true
 * q14 c12 a2 2025-05-20 10:00 emea chat 76.0 true
 * q15 c13 a3 2025-05-21 10:00 apac chat 57.0 false
 * q16 c14 a4 2025-05-22 10:00 apac voice 54.0 false
 * </pre>
 * Public posts ({@code post}: id customer agent time region reason reach response; a last
 * {@code false} marks a private follow-up in chat): s1 (complaint, 500, 30 min) is followed 5 h
 * later by the private s1b: moved. s2 (complaint, 5000, 45 min) is followed 2 h later by the public
 * complaint s2b (800, 20 min), so s2 was not moved even though the private s2c comes 10 h after
 * it; s2b is followed by s2c 8 h later: moved. s3 (200000, 10 min), s4 (no reach), s5 (no
 * response), s6 (complaint, 100, exactly 60 min, on 30 June 00:00: its 24 h reach past the data's
 * end, censored), z (the latest contact, private).
 *
 * <p>The cube's expected values are R's. The script reads the same table (written from one list
 * to fixture.csv for R and to the rows above) and, for every quarter and cell of the 8 grouping
 * sets, R 4.2.2 with sandwich 3.0.2:
 * <pre>
 * y  &lt;- scored contacts of the cell;  sq &lt;- scored contacts of the quarter
 * mean(y$score); m &lt;- lm(score ~ 1, y)
 * se &lt;- sqrt(vcovCL(m, cluster = y$agent, type = "HC1")[1, 1]); mean +- qt(0.975, G_cell - 1) * se
 * sq$d &lt;- in the cell; f &lt;- lm(score ~ d, sq); V &lt;- vcovCL(f, cluster = sq$agent, type = "HC1")
 * b &lt;- coef(f)[["d"]]; p &lt;- 2 * pt(-abs(b / sqrt(V["d", "d"])), G_quarter - 1)
 * q &lt;- p.adjust(p[cells with p], "BH")   # per quarter; cells with fewer than 2 scored have none
 * </pre>
 * and for the changes, per cell over both quarters, {@code lm(score ~ now, y)} with
 * {@code vcovCL(f, cluster = y$agent, type = "HC1")}, t with G - 1 degrees of freedom, and BH over
 * the cells with 2 or more scored contacts in each quarter and a standard error above 0 (in
 * apac/in-house both agents moved by exactly +2, so R's standard error is 0 and p "0": no test,
 * here as in the job).
 */
class AuditIT {

    @TempDir
    static Path dir;

    static Path folder;
    static JsonNode job;

    static final Map<String, String> TEAMS = Map.of("a1", "in_house", "a2", "in_house", "a3", "outsourced",
            "a4", "outsourced");

    /** R: {contacts, scored, mean, ci_low, ci_high, diff_vs_rest, p_value, q_value}; NaN = an empty cell. */
    static final Map<String, double[]> CUBE = table(
        "2025Q1|emea|chat|in_house", new double[] {2, 2, 70.5, 13.3220786872138, 127.677921312786, 12.5, 0.151073431564977, 0.284713117245023},
        "2025Q1|emea|voice|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q1|apac|voice|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q1|apac|chat|outsourced", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q1|emea|chat|outsourced", new double[] {2, 2, 57, 18.8813857914759, 95.1186142085241, -4.375, 0.43688677583185, 0.513984442155118},
        "2025Q1|apac|voice|outsourced", new double[] {2, 2, 50.5, 31.4406928957379, 69.5593071042621, -12.5, 0.0268973836497998, 0.0739730754378425},
        "2025Q1|apac|chat|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q1|emea|chat|all", new double[] {4, 4, 63.75, 49.4954467800406, 78.0045532199594, 5.41666666666668, 0.329910161871333, 0.439880215828444},
        "2025Q1|emea|voice|all", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q1|apac|voice|all", new double[] {3, 3, 53, 41.6162508992097, 64.3837491007903, -10.7142857142857, 0.0145913113277909, 0.0739730754378425},
        "2025Q1|apac|chat|all", new double[] {2, 2, 60.5, 16.0282834233886, 104.971716576611, -4.21300016229204e-15, 0.999999999999999, 0.999999999999999},
        "2025Q1|emea|all|in_house", new double[] {3, 3, 70.3333333333333, 30.8029185985676, 109.863748068099, 14.0476190476191, 0.0390702383779765, 0.086822751951059},
        "2025Q1|apac|all|in_house", new double[] {2, 2, 61, 22.8813857914758, 99.1186142085242, 0.624999999999996, 0.912965085393173, 0.961015879361235},
        "2025Q1|apac|all|outsourced", new double[] {3, 3, 52.6666666666667, 21.6070550893507, 83.7262782439826, -11.1904761904762, 0.0278762500029022, 0.0739730754378425},
        "2025Q1|emea|all|outsourced", new double[] {2, 2, 57, 18.8813857914759, 95.1186142085241, -4.375, 0.43688677583185, 0.513984442155118},
        "2025Q1|emea|all|all", new double[] {5, 5, 65, 52.6580153188537, 77.3419846811463, 9.00000000000001, 0.0295892301751369, 0.0739730754378425},
        "2025Q1|apac|all|all", new double[] {5, 5, 56, 47.7501562835401, 64.2498437164599, -9.00000000000001, 0.029589230175137, 0.0739730754378425},
        "2025Q1|all|chat|in_house", new double[] {3, 3, 68.3333333333333, 11.861312283668, 124.805354382999, 11.1904761904762, 0.156592214484763, 0.284713117245023},
        "2025Q1|all|voice|in_house", new double[] {2, 2, 64, -12.237228417048, 140.237228417048, 4.375, 0.576012140800834, 0.640013489778704},
        "2025Q1|all|chat|outsourced", new double[] {3, 3, 57, 31.5875905276506, 82.4124094723494, -5, 0.328327603376457, 0.439880215828444},
        "2025Q1|all|voice|outsourced", new double[] {2, 2, 50.5, 31.4406928957379, 69.5593071042621, -12.5, 0.0268973836497998, 0.0739730754378425},
        "2025Q1|all|chat|all", new double[] {6, 6, 62.6666666666667, 51.737273704462, 73.5960596288713, 5.41666666666667, 0.250374818210007, 0.385192028015396},
        "2025Q1|all|voice|all", new double[] {4, 4, 57.25, 42.4721708553091, 72.0278291446909, -5.41666666666667, 0.250374818210007, 0.385192028015396},
        "2025Q1|all|all|in_house", new double[] {5, 5, 66.6, 65.583503621106, 67.616496378894, 12.2, 0.00898082574686807, 0.0739730754378425},
        "2025Q1|all|all|outsourced", new double[] {5, 5, 54.4, 24.9216050120747, 83.8783949879253, -12.2, 0.00898082574686807, 0.0739730754378425},
        "2025Q1|all|all|all", new double[] {10, 10, 60.5, 49.0756530889902, 71.9243469110098, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|emea|chat|in_house", new double[] {7, 5, 74.4, 19.5091955397253, 129.290804460275, 15.6, 0.0900843866447316, 0.175288041240444},
        "2025Q2|emea|voice|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|apac|chat|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|apac|voice|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|apac|chat|outsourced", new double[] {5, 3, 54.6666666666667, 32.0778582468005, 77.2554750865328, -11.6666666666667, 0.072805235423902, 0.175288041240444},
        "2025Q2|apac|voice|outsourced", new double[] {2, 2, 56, 30.5875905276507, 81.4124094723493, -9.23076923076923, 0.156227712974337, 0.218718798164072},
        "2025Q2|emea|chat|outsourced", new double[] {2, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|emea|voice|outsourced", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|emea|social|in_house", new double[] {3, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|emea|social|outsourced", new double[] {1, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|apac|social|outsourced", new double[] {2, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|apac|social|in_house", new double[] {1, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|emea|chat|all", new double[] {9, 6, 72.3333333333333, 53.9058233440142, 90.7608433226525, 13.8888888888889, 0.10979691734296, 0.177364251092474},
        "2025Q2|emea|voice|all", new double[] {2, 2, 62, -90.4744568340962, 214.474456834096, -2.30769230769231, 0.814224560767217, 0.854935788805578},
        "2025Q2|apac|chat|all", new double[] {6, 4, 57.5, 43.5889674386451, 71.4110325613549, -8.86363636363636, 0.0940773970684729, 0.175288041240444},
        "2025Q2|apac|voice|all", new double[] {3, 3, 57.3333333333333, 49.7441672661398, 64.9224994005269, -8.33333333333333, 0.147173183671729, 0.218718798164072},
        "2025Q2|emea|social|all", new double[] {4, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|apac|social|all", new double[] {3, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|emea|all|in_house", new double[] {11, 6, 74.3333333333333, 27.7439159673595, 120.922750699307, 17.2222222222222, 0.0291289369359371, 0.15292691891367},
        "2025Q2|apac|all|in_house", new double[] {3, 2, 63, 24.881385791476, 101.118614208524, -1.15384615384615, 0.878445003293595, 0.878445003293595},
        "2025Q2|apac|all|outsourced", new double[] {9, 5, 55.2, 32.8370796643325, 77.5629203356675, -13.2, 0.0280234041276366, 0.15292691891367},
        "2025Q2|emea|all|outsourced", new double[] {4, 2, 56, -20.237228417048, 132.237228417048, -9.23076923076922, 0.279412521569729, 0.363037712008628},
        "2025Q2|emea|all|all", new double[] {15, 8, 69.75, 54.7226263722136, 84.7773736277864, 12.3214285714286, 0.0478384593699466, 0.167434607794813},
        "2025Q2|apac|all|all", new double[] {12, 7, 57.4285714285714, 50.7107286871414, 64.1464141700014, -12.3214285714286, 0.0478384593699465, 0.167434607794813},
        "2025Q2|all|chat|in_house", new double[] {8, 6, 73, 9.46897631912655, 136.531023680873, 15, 0.0969512653221076, 0.175288041240444},
        "2025Q2|all|voice|in_house", new double[] {2, 2, 67, -21.9434331532228, 155.943433153223, 3.46153846153847, 0.739734510243145, 0.817601300795055},
        "2025Q2|all|chat|outsourced", new double[] {7, 4, 56.5, 27.9110393436069, 85.0889606563931, -10.2272727272727, 0.100164594994539, 0.175288041240444},
        "2025Q2|all|voice|outsourced", new double[] {3, 3, 54, 20.1167873702007, 87.8832126297993, -12.5, 0.0932854159871418, 0.175288041240444},
        "2025Q2|all|social|in_house", new double[] {4, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|all|social|outsourced", new double[] {3, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|all|chat|all", new double[] {15, 10, 66.4, 49.6546461385381, 83.1453538614619, 7.2, 0.311175181721681, 0.363037712008628},
        "2025Q2|all|voice|all", new double[] {5, 5, 59.2, 43.9866195332885, 74.4133804667115, -7.19999999999999, 0.311175181721681, 0.363037712008628},
        "2025Q2|all|social|all", new double[] {7, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "2025Q2|all|all|in_house", new double[] {14, 8, 71.5, 46.0875905276506, 96.9124094723494, 16.0714285714286, 0.0128683303529359, 0.135117468705828},
        "2025Q2|all|all|outsourced", new double[] {13, 7, 55.4285714285714, 18.0878881222622, 92.7692547348807, -16.0714285714286, 0.012868330352936, 0.135117468705828},
        "2025Q2|all|all|all", new double[] {27, 15, 64, 48.8981207847102, 79.1018792152898, Double.NaN, Double.NaN, Double.NaN});

    /**
     * R: {diff_vs_rest, diff_ci_low, diff_ci_high} of every 2025Q1 cell with a test (its ten scored
     * contacts p1..p10, four agents), R 4.2.2 with sandwich 3.0.2:
     * <pre>
     * d$d &lt;- in the cell; f &lt;- lm(score ~ d, d); V &lt;- vcovCL(f, cluster = d$agent, type = "HC1")
     * b &lt;- coef(f)[["dTRUE"]]; se &lt;- sqrt(V["dTRUE", "dTRUE"])
     * b - qt(0.975, G - 1) * se; b + qt(0.975, G - 1) * se        # G = 4 agents; printed with %.15g
     * </pre>
     */
    static final Map<String, double[]> DIFF_INTERVALS = table(
        "2025Q1|all|all|in_house", new double[] {12.2, 5.80209555661592, 18.5979044433841},
        "2025Q1|all|all|outsourced", new double[] {-12.2, -18.5979044433841, -5.80209555661591},
        "2025Q1|all|chat|all", new double[] {5.41666666666667, -6.71272592602476, 17.5460592593581},
        "2025Q1|all|chat|in_house", new double[] {11.1904761904762, -7.74596679670799, 30.1269191776604},
        "2025Q1|all|chat|outsourced", new double[] {-5, -18.66176844177, 8.66176844176999},
        "2025Q1|all|voice|all", new double[] {-5.41666666666667, -17.5460592593581, 6.71272592602475},
        "2025Q1|all|voice|in_house", new double[] {4.375, -17.8854131339296, 26.6354131339296},
        "2025Q1|all|voice|outsourced", new double[] {-12.5, -22.2928118396579, -2.70718816034208},
        "2025Q1|apac|all|all", new double[] {-9.00000000000001, -16.3127048679783, -1.6872951320217},
        "2025Q1|apac|all|in_house", new double[] {0.624999999999996, -16.1220892100843, 17.3720892100843},
        "2025Q1|apac|all|outsourced", new double[] {-11.1904761904762, -20.0776720337471, -2.30328034720529},
        "2025Q1|apac|chat|all", new double[] {-4.21300016229204e-15, -10.8287967390024, 10.8287967390024},
        "2025Q1|apac|voice|all", new double[] {-10.7142857142857, -17.4023411530306, -4.02623027554083},
        "2025Q1|apac|voice|outsourced", new double[] {-12.5, -22.2928118396579, -2.70718816034208},
        "2025Q1|emea|all|all", new double[] {9.00000000000001, 1.68729513202171, 16.3127048679783},
        "2025Q1|emea|all|in_house", new double[] {14.0476190476191, 1.3273672587017, 26.7678708365364},
        "2025Q1|emea|all|outsourced", new double[] {-4.375, -19.9374038142705, 11.1874038142704},
        "2025Q1|emea|chat|all", new double[] {5.41666666666668, -9.44135831821484, 20.2746916515482},
        "2025Q1|emea|chat|in_house", new double[] {12.5, -8.25082504626462, 33.2508250462647},
        "2025Q1|emea|chat|outsourced", new double[] {-4.375, -19.9374038142705, 11.1874038142704});

    /** R: {scored_previous, scored, change, ci_low, ci_high, p_value, q_value}. */
    static final Map<String, double[]> QOQ = table(
        "emea|chat|in_house", new double[] {2, 5, 3.90000000000002, 1.39458901645984, 6.40541098354019, 0.0321594789447266, 0.251440087931165},
        "emea|voice|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "apac|voice|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "apac|chat|outsourced", new double[] {1, 3, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "emea|chat|outsourced", new double[] {2, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "apac|voice|outsourced", new double[] {2, 2, 5.5, -2.28092954274081, 13.2809295427408, 0.0705907879912759, 0.251440087931165},
        "apac|chat|in_house", new double[] {1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "emea|voice|outsourced", new double[] {0, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "emea|chat|all", new double[] {4, 6, 8.58333333333334, -3.34039948134395, 20.5070661480106, 0.105869510707859, 0.251440087931165},
        "emea|voice|all", new double[] {1, 2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
        "apac|voice|all", new double[] {3, 3, 4.33333333333332, -1.44818255144347, 10.1148492181101, 0.0841890602207505, 0.251440087931165},
        "apac|chat|all", new double[] {2, 4, -3.00000000000001, -13.2576484128449, 7.25764841284484, 0.335254013402597, 0.374695662038197},
        "emea|all|in_house", new double[] {3, 6, 4.00000000000001, -3.54639123951866, 11.5463912395187, 0.09383875099204, 0.251440087931165},
        "apac|all|in_house", new double[] {2, 2, 2, 2, 2, Double.NaN, Double.NaN},
        "apac|all|outsourced", new double[] {3, 5, 2.53333333333334, -6.86016681187303, 11.9268334785397, 0.180760557861446, 0.325949430557387},
        "emea|all|outsourced", new double[] {2, 2, -0.999999999999997, -47.6855772564446, 45.6855772564446, 0.830831588770247, 0.830831588770247},
        "emea|all|all", new double[] {5, 8, 4.75, -0.681601990733166, 10.1816019907332, 0.0688135436460258, 0.251440087931165},
        "apac|all|all", new double[] {5, 7, 1.42857142857142, -0.439797564208591, 3.29694042135144, 0.0930529889580481, 0.251440087931165},
        "all|chat|in_house", new double[] {3, 6, 4.66666666666667, -2.87972457285233, 12.2130579061857, 0.0805876249376779, 0.251440087931165},
        "all|voice|in_house", new double[] {2, 2, 3, -12.5618590854815, 18.5618590854815, 0.24675171442885, 0.360560114756869},
        "all|chat|outsourced", new double[] {3, 4, -0.499999999999994, -3.97973747714089, 2.97973747714091, 0.319005720039978, 0.374695662038197},
        "all|voice|outsourced", new double[] {2, 3, 3.5, -13.617171691221, 20.617171691221, 0.233908049281923, 0.360560114756869},
        "all|chat|all", new double[] {6, 10, 3.73333333333333, -3.27749205019752, 10.7441587168642, 0.18870756505954, 0.325949430557387},
        "all|voice|all", new double[] {4, 5, 1.95, -3.42368277025208, 7.32368277025208, 0.331790537164298, 0.374695662038197},
        "all|all|in_house", new double[] {5, 8, 4.9, -22.7040918803496, 32.5040918803496, 0.265675874031377, 0.360560114756869},
        "all|all|outsourced", new double[] {5, 7, 1.02857142857141, -7.21746612661429, 9.27460898375712, 0.358332000747105, 0.378239334121945},
        "all|all|all", new double[] {10, 15, 3.49999999999999, -2.32411910731163, 9.32411910731162, 0.151753986207394, 0.320369526437832});

    static Instant at(String dayTime) {
        return Instant.parse(dayTime.replace(' ', 'T') + ":00Z");
    }

    @SuppressWarnings("unchecked")
    static Map<String, double[]> table(Object... keysAndValues) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (double[]) keysAndValues[i + 1]);
        }
        return map;
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void run() throws IOException {
        Path input = dir.resolve("input");
        List<Map<String, Object>> interactions = List.of(
                contact("p1", "c31", "a1", at("2025-01-10 10:00"), "emea", "chat", 66.0, true),
                contact("p2", "c32", "a1", at("2025-01-11 10:00"), "emea", "voice", 70.0, true),
                contact("p3", "c33", "a2", at("2025-01-12 10:00"), "emea", "chat", 75.0, true),
                contact("p4", "c34", "a2", at("2025-01-13 10:00"), "apac", "voice", 58.0, false),
                contact("p5", "c35", "a3", at("2025-02-14 10:00"), "apac", "chat", 57.0, false),
                contact("p6", "c36", "a3", at("2025-02-15 10:00"), "emea", "chat", 60.0, true),
                contact("p7", "c37", "a4", at("2025-02-16 10:00"), "apac", "voice", 49.0, false),
                contact("p8", "c38", "a4", at("2025-03-17 10:00"), "emea", "chat", 54.0, false),
                contact("p9", "c39", "a1", at("2025-03-18 10:00"), "apac", "chat", 64.0, true),
                contact("p10", "c40", "a3", at("2025-03-19 10:00"), "apac", "voice", 52.0, false),
                contact("q1", "c1", "a1", at("2025-04-10 10:00"), "emea", "chat", 70.0, true),
                contact("q2", "c2", "a1", at("2025-04-11 10:00"), "emea", "voice", 74.0, true),
                contact("q3", "c3", "a1", at("2025-04-12 10:00"), "apac", "chat", 66.0, false),
                contact("q4", "c4", "a2", at("2025-04-13 10:00"), "emea", "chat", 80.0, true),
                contact("q5", "c5", "a2", at("2025-04-14 10:00"), "apac", "voice", 60.0, false),
                contact("q6", "c6", "a2", at("2025-04-15 10:00"), "emea", "chat", 78.0, true),
                contact("q7", "c7", "a3", at("2025-04-16 10:00"), "apac", "chat", 55.0, false),
                contact("q8", "c8", "a3", at("2025-04-17 09:00"), "apac", "voice", 58.0, false),
                contact("q9", "c9", "a3", at("2025-04-18 10:00"), "emea", "chat", 62.0, true),
                contact("q10", "c1", "a4", at("2025-04-17 10:00"), "emea", "voice", 50.0, false),
                contact("q11", "c10", "a4", at("2025-05-01 10:00"), "apac", "chat", 52.0, false),
                contact("q11b", "c10", "a4", at("2025-05-01 10:00"), "apac", "chat", null, false),
                contact("q12", "c11", "a4", at("2025-05-02 10:00"), "apac", "chat", null, true),
                contact("q13", "c11", "a1", at("2025-05-05 10:00"), "emea", "chat", 68.0, true),
                contact("q14", "c12", "a2", at("2025-05-20 10:00"), "emea", "chat", 76.0, true),
                contact("q15", "c13", "a3", at("2025-05-21 10:00"), "apac", "chat", 57.0, false),
                contact("q16", "c14", "a4", at("2025-05-22 10:00"), "apac", "voice", 54.0, false),
                post("s1", "c20", "a1", at("2025-06-01 10:00"), "emea", "complaint", 500L, 30.0, true),
                post("s1b", "c20", "a2", at("2025-06-01 15:00"), "emea", "billing", null, null, false),
                post("s2", "c21", "a2", at("2025-06-02 10:00"), "emea", "complaint", 5000L, 45.0, true),
                post("s2b", "c21", "a3", at("2025-06-02 12:00"), "emea", "complaint", 800L, 20.0, true),
                post("s2c", "c21", "a4", at("2025-06-02 20:00"), "emea", "billing", null, null, false),
                post("s3", "c22", "a3", at("2025-06-03 10:00"), "apac", "billing", 200000L, 10.0, true),
                post("s4", "c23", "a4", at("2025-06-04 10:00"), "apac", "billing", null, 20.0, true),
                post("s5", "c24", "a1", at("2025-06-05 10:00"), "apac", "billing", 800L, null, true),
                post("s6", "c25", "a2", at("2025-06-30 00:00"), "emea", "complaint", 100L, 60.0, true),
                post("z", "c26", "a1", at("2025-06-30 12:00"), "emea", "billing", null, null, false));
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        List<Map<String, Object>> csat = List.of(Fixtures.csat("q1", "csat", 5),
                Fixtures.csat("q1", "csat", 1, "responded_at", at("2025-04-12 10:00")), Fixtures.csat("q2", "csat", 4),
                Fixtures.csat("q4", "csat", 3), Fixtures.csat("q7", "csat", 2), Fixtures.csat("q9", "csat", 5));
        Fixtures.write(input, Contract.CSAT, csat.toArray(Map[]::new));
        List<Map<String, Object>> customers = new ArrayList<>();
        for (Map<String, Object> r : interactions) {
            String id = (String) r.get("customer_id");
            if (customers.stream().noneMatch(c -> c.get("customer_id").equals(id))) {
                customers.add(Fixtures.row(Contract.CUSTOMERS, "customer_id", id, "segment", "standard",
                        "emotional_opt_out", id.equals("c5") || id.equals("c7")));
            }
        }
        Fixtures.write(input, Contract.CUSTOMERS, customers.toArray(Map[]::new));
        List<Map<String, Object>> turns = new ArrayList<>();
        // Agents' lines: a1 two phrases in q1, the same one twice in q2, none in q3; a2 one each in
        // q4 and q6; a3 the same one in q7, q8, q9.
        agent(turns, "q1", "I'm sorry for the delay.", "I hear you, let me check.");
        agent(turns, "q2", "I'm sorry, I'm sorry.");
        agent(turns, "q3", "Let me check the invoice.");
        agent(turns, "q4", "I'm sorry about this.");
        agent(turns, "q6", "That sounds stressful.");
        agent(turns, "q7", "I'm sorry.");
        agent(turns, "q8", "I'm sorry.");
        agent(turns, "q9", "I'm sorry.");
        // The customer's first and last sentiment (given): shifts q1 0.8, q2 0.6, q3 0.2, q4 1.0,
        // q5 -0.1, q6 0.5, q7 0.2, q8 0.1, q9 0.5.
        customer(turns, "q1", -0.5, 0.3);
        customer(turns, "q2", -0.2, 0.4);
        customer(turns, "q3", -0.4, -0.2);
        customer(turns, "q4", -0.6, 0.4);
        customer(turns, "q5", 0.0, -0.1);
        customer(turns, "q6", -0.3, 0.2);
        customer(turns, "q7", -0.5, -0.3);
        customer(turns, "q8", -0.1, 0.0);
        customer(turns, "q9", -0.4, 0.1);
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        Path out = dir.resolve("run");
        Audit audit = new Audit(new Audit.Options(Optional.empty(), 2, SlaTiers.parse("sla-tiers", SlaTiers.DEFAULT),
                24));
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("audit", input, out, "2025-07-01", Map.of()),
                Jobs.plan(List.of(audit)), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        job = manifest.at("/jobs/1");
        assertEquals("succeeded", job.get("status").asText(), manifest.toPrettyString());
        folder = out.resolve("audit");
    }

    static Map<String, Object> contact(String id, String customer, String agent, Instant at, String region,
                                       String channel, Double score, boolean documented) {
        return Fixtures.interaction(id, "customer_id", customer, "agent_id", agent, "team_type", TEAMS.get(agent),
                "started_at", at, "region", region, "channel", channel, "empathy_score", score,
                "empathy_documented", documented);
    }

    static Map<String, Object> post(String id, String customer, String agent, Instant at, String region,
                                    String reason, Long reach, Double response) {
        return post(id, customer, agent, at, region, reason, reach, response, true);
    }

    static Map<String, Object> post(String id, String customer, String agent, Instant at, String region,
                                    String reason, Long reach, Double response, boolean isPublic) {
        return Fixtures.interaction(id, "customer_id", customer, "agent_id", agent, "team_type", TEAMS.get(agent),
                "started_at", at, "region", region, "channel", isPublic ? "social" : "chat", "contact_reason", reason,
                "empathy_score", null, "empathy_documented", false, "is_public", isPublic, "audience_reach", reach,
                "first_response_minutes", response);
    }

    static void agent(List<Map<String, Object>> turns, String id, String... lines) {
        for (int i = 0; i < lines.length; i++) {
            turns.add(Fixtures.row(Contract.TURNS, "interaction_id", id, "turn_index", 2 * i + 1, "speaker", "agent",
                    "text", lines[i]));
        }
    }

    static void customer(List<Map<String, Object>> turns, String id, double first, double last) {
        turns.add(Fixtures.row(Contract.TURNS, "interaction_id", id, "turn_index", 0, "speaker", "customer", "text",
                "My order is late.", "sentiment", first));
        turns.add(Fixtures.row(Contract.TURNS, "interaction_id", id, "turn_index", 10, "speaker", "customer", "text",
                "Ok.", "sentiment", last));
    }

    static Map<String, Map<String, String>> csv(String file, String... key) throws IOException {
        return Fixtures.csv(folder, file, key);
    }

    static void assertCell(double expected, Map<String, String> row, String column, double tolerance) {
        if (Double.isNaN(expected)) {
            assertEquals("", row.get(column), column + " should be empty");
        } else {
            assertEquals(expected, Fixtures.d(row, column), tolerance, column);
        }
    }

    @Test
    void theCubeMatchesRForEveryCellOfBothQuarters() throws IOException {
        Map<String, Map<String, String>> cube = csv("cube.csv", "quarter", "region", "channel", "team_type");
        assertEquals(CUBE.keySet(), cube.keySet(), "every combination present in the data, margins included");
        CUBE.forEach((key, e) -> {
            Map<String, String> row = cube.get(key);
            assertEquals((long) e[0], Long.parseLong(row.get("contacts")), key);
            assertEquals((long) e[1], Long.parseLong(row.get("scored")), key);
            assertCell(e[2], row, "empathy_mean", 1e-9);
            assertCell(e[3], row, "ci_low", 1e-8);
            assertCell(e[4], row, "ci_high", 1e-8);
            assertCell(e[5], row, "diff_vs_rest", 1e-9);
            assertCell(e[6], row, "p_value", 1e-9);
            assertCell(e[7], row, "q_value", 1e-9);
            boolean suppressed = e[1] < 2;
            assertEquals(suppressed ? "yes" : "no", row.get("suppressed"), key);
            if (suppressed) {
                for (String c : List.of("documented_share", "csat_mean", "top_box", "repeat_7d")) {
                    assertEquals("", row.get(c), key + " " + c + ": a suppressed cell shows counts only");
                }
            }
            // q >= 0.135 everywhere here: nothing is flagged.
            assertEquals("", row.get("flag"), key);
            if (Double.isNaN(e[5])) {
                assertEquals("", row.get("diff_ci_low") + row.get("diff_ci_high"), key + ": no difference, no interval");
            }
        });
        DIFF_INTERVALS.forEach((key, e) -> {
            Map<String, String> row = cube.get(key);
            assertCell(e[0], row, "diff_vs_rest", 1e-9);
            assertCell(e[1], row, "diff_ci_low", 1e-8);
            assertCell(e[2], row, "diff_ci_high", 1e-8);
        });
    }

    /**
     * 2025Q2, every contact (27): documented q1 q2 q4 q6 q9 q12 q13 q14 = 8; CSAT q1 (the earlier
     * of its two answers, 5), q2 4, q4 3, q7 2, q9 5: mean 19 / 5 = 3.8, top box (4 or 5) 3 / 5;
     * repeats within 7 days: q1 (q10 exactly 7 days later), q12 (q13), s1 (s1b), s2 (s2b), s2b
     * (s2c) = 5 of the 25 contacts before 23 June 12:00 (s6 and z are censored); q11 and q11b
     * share an instant and are not repeats.
     */
    @Test
    void theTotalCarriesItsSharesByHand() throws IOException {
        Map<String, String> all = csv("cube.csv", "quarter", "region", "channel", "team_type")
                .get("2025Q2|all|all|all");
        assertEquals(8.0 / 27, Fixtures.d(all, "documented_share"), 1e-12);
        assertEquals(3.8, Fixtures.d(all, "csat_mean"), 1e-12);
        assertEquals(0.6, Fixtures.d(all, "top_box"), 1e-12);
        assertEquals(0.2, Fixtures.d(all, "repeat_7d"), 1e-12);
        assertEquals("", all.get("diff_vs_rest"), "the whole organisation has no rest");
        // emea, chat: q1 q4 q6 q9 q13 q14 (documented) and the private follow-ups s1b, s2c and z: 6 / 9.
        Map<String, String> emeaChat = csv("cube.csv", "quarter", "region", "channel", "team_type")
                .get("2025Q2|emea|chat|all");
        assertEquals(6.0 / 9, Fixtures.d(emeaChat, "documented_share"), 1e-12);
        List<String> lines = Files.readAllLines(folder.resolve("cube.csv"));
        assertEquals(String.join(",", AuditReport.CUBE), lines.get(0));
        assertTrue(lines.get(1).startsWith("2025Q1,all,all,all,"), "margins first: " + lines.get(1));
    }

    @Test
    void changesMatchR() throws IOException {
        Map<String, Map<String, String>> qoq = csv("qoq.csv", "region", "channel", "team_type");
        assertEquals(QOQ.keySet(), qoq.keySet());
        QOQ.forEach((key, e) -> {
            Map<String, String> row = qoq.get(key);
            assertEquals("2025Q2", row.get("quarter"));
            assertEquals("2025Q1", row.get("previous_quarter"));
            assertEquals((long) e[0], Long.parseLong(row.get("scored_previous")), key);
            assertEquals((long) e[1], Long.parseLong(row.get("scored")), key);
            boolean suppressed = e[0] < 2 || e[1] < 2;
            assertEquals(suppressed ? "yes" : "no", row.get("suppressed"), key);
            if (!suppressed) {
                assertCell(e[2], row, "change", 1e-9);
                assertCell(e[3], row, "ci_low", 1e-8);
                assertCell(e[4], row, "ci_high", 1e-8);
                assertCell(e[5], row, "p_value", 1e-9);
                assertCell(e[6], row, "q_value", 1e-9);
            }
        });
    }

    /**
     * 2025Q2, all regions: 7 public posts; s4 lacks the reach, s5 the response time; of the 5
     * measured, s1 (500: 60 min, 30), s2b (800: 60, 20), s3 (200000: 15, 10) and s6 (100: 60,
     * exactly 60) are within, s2 (5000: 30, 45) is not: 4 / 5, Wilson interval from R
     * {@code prop.test(4, 5, correct = FALSE)$conf.int}: 0.375534629762525 to 0.96377589136757.
     * Complaints s1 s2 s2b s6; s6 is censored; s1 and s2b moved, s2 not (its next contact is the
     * public s2b): 2 / 3, R {@code prop.test(2, 3, correct = FALSE)}: 0.207659600802048 to
     * 0.938508055279604.
     */
    @Test
    void publicRepliesAreCountedByHand() throws IOException {
        Map<String, Map<String, String>> sla = csv("sla.csv", "quarter", "region", "tier");
        Map<String, String> all = sla.get("2025Q2|all|all");
        Map<String, Long> counts = Map.of("public_contacts", 7L, "unmeasured", 2L, "missing_reach", 1L,
                "missing_response", 1L, "measured", 5L, "within_target", 4L, "public_complaints", 4L,
                "complaints_censored", 1L, "complaints_followed", 3L, "moved_private", 2L);
        counts.forEach((column, n) -> assertEquals(String.valueOf(n), all.get(column), column));
        assertEquals(0.8, Fixtures.d(all, "compliance"), 1e-12);
        assertEquals(0.375534629762525, Fixtures.d(all, "ci_low"), 1e-12);
        assertEquals(0.96377589136757, Fixtures.d(all, "ci_high"), 1e-12);
        assertEquals(2.0 / 3, Fixtures.d(all, "moved_share"), 1e-12);
        assertEquals(0.207659600802048, Fixtures.d(all, "moved_ci_low"), 1e-12);
        assertEquals(0.938508055279604, Fixtures.d(all, "moved_ci_high"), 1e-12);
        Map<String, String> small = sla.get("2025Q2|all|reach <1000");
        assertEquals("60.0", small.get("target_minutes"));
        assertEquals("4", small.get("public_contacts"));
        assertEquals("3", small.get("within_target"));
        assertEquals("2", small.get("moved_private"));
        assertEquals("1", sla.get("2025Q2|all|unknown").get("missing_reach"));
        Map<String, String> emea = sla.get("2025Q2|emea|all");
        assertEquals("4", emea.get("measured"));
        assertEquals("3", emea.get("within_target"));
        assertFalse(sla.keySet().stream().anyMatch(k -> k.startsWith("2025Q1")), "no public post in 2025Q1");
    }

    /**
     * 2025Q2: the opted-out c5 and c7 have q5 and q7, neither documented (0 / 2); everyone else 8 /
     * 25. Searched conversations (an agent turn in English): opted out q7 with a phrase (1 / 1);
     * others q1 q2 q3 q4 q6 q8 q9, all but q3 with a phrase (6 / 7).
     */
    @Test
    void optedOutCustomersAreComparedWithEveryoneElse() throws IOException {
        Map<String, Map<String, String>> o = csv("opt_out.csv", "quarter", "measure", "group");
        assertEquals("2", o.get("2025Q2|documented_empathy|opted_out").get("contacts"));
        assertEquals("0", o.get("2025Q2|documented_empathy|opted_out").get("with_empathy"));
        assertEquals("25", o.get("2025Q2|documented_empathy|others").get("contacts"));
        assertEquals("8", o.get("2025Q2|documented_empathy|others").get("with_empathy"));
        assertEquals(-8.0 / 25, Fixtures.d(o.get("2025Q2|documented_empathy|difference"), "share"), 1e-12);
        assertEquals("1", o.get("2025Q2|empathy_phrase|opted_out").get("with_empathy"));
        assertEquals("7", o.get("2025Q2|empathy_phrase|others").get("contacts"));
        assertEquals(6.0 / 7, Fixtures.d(o.get("2025Q2|empathy_phrase|others"), "share"), 1e-12);
        assertEquals("0", o.get("2025Q1|documented_empathy|opted_out").get("contacts"));
        assertEquals("", o.get("2025Q1|documented_empathy|opted_out").get("share"), "no opted-out contact: no share");
    }

    /**
     * Matches: a1 4 (i'm sorry x3, i hear you), distinct 2; a2 2 (i'm sorry, that sounds),
     * distinct 2; a3 3 (i'm sorry), distinct 1. In-house: 4 / 6; the stock phrase "i'm sorry" in q1
     * q2 q4 of 4 conversations with a phrase. Outsourced 1 / 3, 3 of 3. All: 5 / 9, 6 of 7. Gain
     * in sentiment (documented q1 q2 q4 q6 q9, not q3 q5 q7 q8): 0.68 - 0.1 = 0.58; R
     * {@code lm(shift ~ doc)} with {@code vcovCL(cluster = agent, type = "HC1")}, t with 2 df:
     * 0.014008969899835 to 1.14599103010017, p 0.0477820666557628; in-house (q1 q2 q3 q4 q5 q6,
     * a1 a2): 0.675, -1.81104453353518 to 3.16104453353518, p 0.179608829776052; outsourced has one
     * agent: no interval.
     */
    @Test
    void performativeEmpathyByTeamAndAgent() throws IOException {
        Map<String, Map<String, String>> p = csv("performative.csv", "team_type");
        Map<String, String> all = p.get("all");
        assertEquals("3", all.get("agents"));
        assertEquals("8", all.get("conversations"));
        assertEquals("7", all.get("with_phrase"));
        assertEquals("9", all.get("phrase_matches"));
        assertEquals(5.0 / 9, Fixtures.d(all, "distinct_n"), 1e-12);
        assertEquals("en:i'm sorry", all.get("top_phrase"));
        assertEquals(6.0 / 7, Fixtures.d(all, "top_phrase_share"), 1e-12);
        assertEquals(0.58, Fixtures.d(all, "shift_gain"), 1e-12);
        assertEquals(0.014008969899835, Fixtures.d(all, "gain_ci_low"), 1e-12);
        assertEquals(1.14599103010017, Fixtures.d(all, "gain_ci_high"), 1e-12);
        assertEquals(0.0477820666557628, Fixtures.d(all, "gain_p_value"), 1e-12);
        Map<String, String> inHouse = p.get("in_house");
        assertEquals(4.0 / 6, Fixtures.d(inHouse, "distinct_n"), 1e-12);
        assertEquals(0.75, Fixtures.d(inHouse, "top_phrase_share"), 1e-12);
        assertEquals(0.675, Fixtures.d(inHouse, "shift_gain"), 1e-12);
        assertEquals(-1.81104453353518, Fixtures.d(inHouse, "gain_ci_low"), 1e-12);
        assertEquals(0.179608829776052, Fixtures.d(inHouse, "gain_p_value"), 1e-12);
        Map<String, String> outsourced = p.get("outsourced");
        assertEquals(1.0 / 3, Fixtures.d(outsourced, "distinct_n"), 1e-12);
        assertEquals(1.0, Fixtures.d(outsourced, "top_phrase_share"), 1e-12);
        assertEquals(0.35, Fixtures.d(outsourced, "shift_gain"), 1e-12);
        assertEquals("", outsourced.get("gain_ci_low"), "one agent: no interval");
        Map<String, Map<String, String>> agents = csv("performative_agents.csv", "agent_id");
        Map<String, String> a1 = agents.get("a1");
        assertEquals("3", a1.get("conversations"));
        assertEquals("4", a1.get("phrase_matches"));
        assertEquals("2", a1.get("distinct_phrases"));
        assertEquals("en:i'm sorry", a1.get("top_phrase"));
        assertEquals(0.7, Fixtures.d(a1, "shift_documented"), 1e-12);
        assertEquals("en:i'm sorry", agents.get("a2").get("top_phrase"), "a tie goes to the first alphabetically");
        assertEquals(0.5, Fixtures.d(agents.get("a2"), "top_phrase_share"), 1e-12);
    }

    @Test
    void theSummaryAndTheExecutiveFilesHoldNoIdsAndNoNaN() throws IOException {
        String summary = Files.readString(folder.resolve("summary.md"));
        assertTrue(summary.contains("2025Q2"), summary);
        assertFalse(summary.contains("NaN") || summary.contains("Infinity"), summary);
        for (String file : List.of("summary.md", "cube.csv", "qoq.csv", "sla.csv", "opt_out.csv", "performative.csv")) {
            String text = Files.readString(folder.resolve(file));
            for (String id : List.of("a1", "a2", "a3", "a4", "c1", "c20", "q1", "s1")) {
                assertFalse(text.matches("(?s).*\\b" + id + "\\b.*"), file + " holds the id " + id);
            }
            assertFalse(text.contains("stressful") || text.contains("delay"), file + " holds a verbatim");
        }
        assertEquals("2025Q2", job.at("/details/audited_quarter").asText());
        assertEquals(37, job.at("/details/population/interactions").asLong());
        assertEquals(27, job.at("/details/population/contacts_audited_quarter").asLong());
        assertEquals(10, job.at("/details/population/contacts_previous_quarter").asLong());
    }

    /**
     * The executives' report: both files, the same bytes from a second run of the same input and
     * run date, the PDF dated by the run date (1 July 2025), the audited quarter in the title, and
     * the findings of this fixture, where nothing is significant (every q-value of the cube is
     * 0.07 or more, of the changes 0.25 or more, see the R tables above): both said in words, then
     * the whole organisation's score, 64.0 (the 15 scored contacts of 2025Q2 sum to 960). No
     * agent, customer or contact id and no turn text, in the HTML's text or the PDF's.
     */
    @Test
    void theReportIsDeterministicSaysItsFindingsAndHoldsNoPersonalData() throws Exception {
        Path html = folder.resolve("report.html");
        Path pdf = folder.resolve("report.pdf");
        assertTrue(Files.size(html) > 10_000 && Files.size(pdf) > 10_000, "both reports written");
        // Kept to be looked at (pdftoppm, a browser).
        Path kept = Files.createDirectories(Path.of("target", "audit-report"));
        Files.copy(html, kept.resolve("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pdf, kept.resolve("report.pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path again = dir.resolve("run-again");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("audit", dir.resolve("input"), again,
                "2025-07-01", Map.of()), Jobs.plan(List.of(new Audit(new Audit.Options(Optional.empty(), 2,
                SlaTiers.parse("sla-tiers", SlaTiers.DEFAULT), 24)))), Progress.to(System.err));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(html), Files.readAllBytes(again.resolve("audit/report.html"))),
                "report.html differs between two runs");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(pdf), Files.readAllBytes(again.resolve("audit/report.pdf"))),
                "report.pdf differs between two runs");
        String raw = Files.readString(pdf, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(raw.contains("/CreationDate(D:20250701000000Z)"), "the PDF is dated by the run date");

        String htmlText = htmlText(Files.readString(html));
        String pdfText = Viewers.pdfText(pdf);
        for (String text : List.of(htmlText, pdfText)) {
            assertTrue(text.contains("Quarterly empathy audit, 2025Q2"), text);
            assertTrue(text.contains("No significant change since 2025Q1."), text);
            assertTrue(text.contains("No region, channel or team stands out in 2025Q2."), text);
            assertTrue(text.contains("The mean QA empathy score was 64.0 out of 100"), text);
            assertTrue(text.contains("Benjamini"), text);
            assertTrue(text.contains("Run of 2025-07-01"), text);
            assertFalse(text.contains("NaN"), text);
            for (String id : List.of("a1", "a2", "a3", "a4", "c1", "c5", "c20", "c31", "q1", "q11b", "s1", "s2c", "p1")) {
                assertFalse(Pattern.compile("\\b" + id + "\\b").matcher(text).find(), "the report holds the id " + id);
            }
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            for (String verbatim : List.of("i'm sorry", "i hear you", "let me check", "stressful", "my order is late",
                    "invoice")) {
                assertFalse(lower.contains(verbatim), "the report holds turn text: " + verbatim);
            }
        }
    }

    /** The text a reader of the HTML sees: no tags (so no embedded images), entities decoded. */
    static String htmlText(String html) {
        return StringEscapeUtils.unescapeHtml4(html.replaceAll("(?s)<style.*?</style>", " ").replaceAll("<[^>]*>", " "))
                .replaceAll("\\s+", " ");
    }

    /**
     * Degenerate data give noted rows, not exceptions: one region, one channel, every score 70,
     * only one quarter; and a quarter without contacts.
     */
    @Test
    @SuppressWarnings("unchecked")
    void degenerateDataAreNotedNotFatal() throws IOException {
        Path input = dir.resolve("flat");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(contact("f" + i, "c" + i, i % 2 == 0 ? "a1" : "a3", at("2025-05-0" + (i + 1) + " 10:00"), "emea",
                    "chat", 70.0, i % 2 == 0));
        }
        rows.add(contact("last", "c9", "a1", at("2025-06-30 10:00"), "emea", "chat", null, false));
        Fixtures.write(input, Contract.INTERACTIONS, rows.toArray(Map[]::new));
        Path out = dir.resolve("flat-run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("audit", input, out, "2025-07-01", Map.of()),
                Jobs.plan(List.of(new Audit())), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.at("/jobs/1/status").asText(), manifest.toPrettyString());
        Path flat = out.resolve("audit");
        Map<String, Map<String, String>> cube = Fixtures.csv(flat, "cube.csv", "quarter", "region", "channel",
                "team_type");
        // 6 scored contacts: below the default minimum of 30, every cell shows counts only.
        assertTrue(cube.values().stream().allMatch(r -> r.get("suppressed").equals("yes")));
        String summary = Files.readString(flat.resolve("summary.md"));
        assertFalse(summary.contains("NaN"), summary);
        assertTrue(summary.contains("Too few contacts were scored"), summary);

        Path out2 = dir.resolve("flat-run-2");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("audit", input, out2, "2025-07-01", Map.of()),
                Jobs.plan(List.of(new Audit(new Audit.Options(Optional.empty(), 2,
                        SlaTiers.parse("sla-tiers", SlaTiers.DEFAULT), 24)))), Progress.to(System.err));
        Map<String, Map<String, String>> cube2 = Fixtures.csv(out2.resolve("audit"), "cube.csv", "quarter", "region",
                "channel", "team_type");
        Map<String, String> emea = cube2.get("2025Q2|emea|chat|all");
        assertEquals("70.0", emea.get("empathy_mean"));
        assertEquals("", emea.get("diff_vs_rest"), "one region and channel: no rest to compare with");
        Map<String, String> inHouse = cube2.get("2025Q2|emea|chat|in_house");
        assertEquals(0.0, Fixtures.d(inHouse, "diff_vs_rest"), 1e-9);
        assertEquals("", inHouse.get("p_value"), "every score equal: no spread, no test");
        assertEquals("", inHouse.get("flag"));
        String summary2 = Files.readString(out2.resolve("audit/summary.md"));
        assertFalse(summary2.contains("NaN"), summary2);

        Path out3 = dir.resolve("empty-quarter");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("audit", input, out3, "2025-07-01", Map.of()),
                Jobs.plan(List.of(new Audit(new Audit.Options(Optional.of(new Quarter(2024, 1)), 30,
                        SlaTiers.parse("sla-tiers", SlaTiers.DEFAULT), 24)))), Progress.to(System.err));
        JsonNode manifest3 = new ObjectMapper().readTree(out3.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest3.at("/jobs/1/status").asText());
        String summary3 = Files.readString(out3.resolve("audit/summary.md"));
        assertTrue(summary3.contains("Quarter 2024Q1 holds no contact."), summary3);
        assertEquals(1, Files.readAllLines(out3.resolve("audit/cube.csv")).size(), "the header alone");
    }
}
