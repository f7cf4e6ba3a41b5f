/**
 * The line the web suites print when they are done, with the number failing. The workbench does not always
 * report a web worker host's test exit (codeAutomationExit), so the runner ends the pass on this line.
 */
export const WEB_EXIT_LINE = 'GPT Image web suites done, failing:';
