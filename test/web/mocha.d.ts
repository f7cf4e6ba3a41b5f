// Mocha's prebuilt browser bundle: it only defines globals (typed by @types/mocha and mochaSetup.ts).
declare module 'mocha/mocha';
