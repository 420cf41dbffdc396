package dev.ladle.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Reads the library version written into the jar by the build. */
final class Version {
    private Version() {
    }

    static String read() {
        try (InputStream in = Version.class.getResourceAsStream("ladle-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
