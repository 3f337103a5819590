import org.springframework.boot.gradle.tasks.bundling.BootJar

plugins {
    java
    id("org.springframework.boot") version "3.4.0"
    id("io.spring.dependency-management") version "1.1.6"
}

group = "com.acme"
version = "2.3.0"

java {
    toolchain {
        languageVersion = JavaLanguageVersion.of(17)
    }
}

tasks.named<BootJar>("bootJar") {
    archiveFileName.set("payments.jar")
}

tasks.named<Jar>("jar") {
    enabled = false
}
