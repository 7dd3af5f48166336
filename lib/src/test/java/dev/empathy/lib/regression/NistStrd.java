package dev.empathy.lib.regression;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The eleven NIST StRD linear least-squares data sets, read from the test resources
 * {@code nist/*.txt} (each names its source) with their certified values, and the log relative
 * error by which tests measure a fit against them. Shared with the other modules' tests through
 * lib's test jar ({@code FitNistIT} runs them through {@code empathy fit}).
 */
public final class NistStrd {

    private NistStrd() {
    }

    public record NistSet(String name, String model, double[][] certified, double[] y, double[][] x) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<NistSet> sets() throws IOException {
        List<NistSet> sets = new ArrayList<>();
        for (String name : List.of("Norris", "Pontius", "NoInt1", "NoInt2", "Longley", "Filip", "Wampler1",
                "Wampler2", "Wampler3", "Wampler4", "Wampler5")) {
            sets.add(read(name));
        }
        return sets;
    }

    public static NistSet read(String name) throws IOException {
        String model = null;
        List<double[]> certified = new ArrayList<>();
        List<double[]> data = new ArrayList<>();
        boolean inData = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                NistStrd.class.getResourceAsStream("/nist/" + name + ".txt")), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] p = line.trim().split("\\s+");
                if (inData) {
                    double[] row = new double[p.length];
                    for (int i = 0; i < p.length; i++) {
                        row[i] = Double.parseDouble(p[i]);
                    }
                    data.add(row);
                } else if (p[0].equals("model")) {
                    model = line.substring("model ".length());
                } else if (p[0].equals("certified")) {
                    certified.add(new double[] {Double.parseDouble(p[2]), Double.parseDouble(p[3])});
                } else if (p[0].equals("data")) {
                    inData = true;
                }
            }
        }
        double[] y = data.stream().mapToDouble(r -> r[0]).toArray();
        double[][] x = new double[data.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = java.util.Arrays.copyOfRange(data.get(i), 1, data.get(i).length);
        }
        return new NistSet(name, model, certified.toArray(double[][]::new), y, x);
    }

    public static Design design(NistSet set) {
        List<String> names = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        int n = set.y().length;
        if (set.model().startsWith("polynomial")) {
            int degree = Integer.parseInt(set.model().substring("polynomial ".length()));
            for (int d = 1; d <= degree; d++) {
                double[] c = new double[n];
                for (int i = 0; i < n; i++) {
                    c[i] = Math.pow(set.x()[i][0], d);
                }
                names.add("x^" + d);
                columns.add(c);
            }
        } else {
            for (int j = 0; j < set.x()[0].length; j++) {
                double[] c = new double[n];
                for (int i = 0; i < n; i++) {
                    c[i] = set.x()[i][j];
                }
                names.add("x" + (j + 1));
                columns.add(c);
            }
        }
        return Design.of(names, columns, !set.model().equals("nointercept"));
    }

    public static double lre(double estimate, double certified) {
        double error = certified == 0 ? Math.abs(estimate) : Math.abs(estimate - certified) / Math.abs(certified);
        return error == 0 ? 15.9 : Math.min(15.9, -Math.log10(error));
    }
}
