// Mocha adds the files named on its command line to a configured `spec`, so `mocha some.test.js`
// would run the whole suite: the suite's spec applies only when no test file or directory is named.
const VALUE_OPTIONS = new Set(["--ignore", "--exclude", "--grep", "-g", "--fgrep", "-f", "--reporter", "-R",
    "--reporter-option", "--reporter-options", "-O", "--timeout", "-t", "--slow", "-s", "--require", "-r",
    "--config", "--package", "--retries", "--jobs", "-j", "--ui", "-u", "--file", "--extension", "--spec"]);

function namesTests(argv) {
    return argv.some((arg, i) => !arg.startsWith("-") && !VALUE_OPTIONS.has(argv[i - 1]));
}

module.exports = {
    require: ["bin/test/support/setup.js"],
    timeout: 60000,
    reporter: "spec",
    recursive: true,
    ...(namesTests(process.argv.slice(2)) ? {} : { spec: ["bin/test/**/*.test.js"] }),
};
