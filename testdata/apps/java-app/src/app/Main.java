package app;

/** java-app: a plain Java program built with javac and jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String user = System.getProperty("user.name");
        System.out.println("hello from java-app on Java " + Runtime.version().feature()
                + " (" + System.getProperty("java.vm.vendor") + "), encoding "
                + System.getProperty("file.encoding") + ", user " + user);
    }
}
