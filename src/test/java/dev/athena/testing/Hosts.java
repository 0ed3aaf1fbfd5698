package dev.athena.testing;

public final class Hosts {
    private Hosts() {
    }

    public static String localHostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
