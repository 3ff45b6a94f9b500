// NOT RUN HERE: the Android library (AAR) of the ACTAtek SDK; bindings/android/build.sh
// prepares jniLibs/ and the generated Kotlin, then runs `gradle assembleRelease`.
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.0"
}

android {
    namespace = "io.actatek"
    compileSdk = 35
    defaultConfig { minSdk = 24 }
    sourceSets["main"].java.srcDirs("build/generated/uniffi")
    sourceSets["main"].jniLibs.srcDirs("src/main/jniLibs")
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    // uniffi's Kotlin needs JNA as an AAR on Android, and coroutines for the async methods.
    implementation("net.java.dev.jna:jna:5.18.1@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}
