/* global process */
// Preloaded into the action with `node --import`: its clock starts at KH_TEST_NOW and runs on from there,
// so a test can run weekly audits weeks apart in seconds without any test branch in the action.
const start = Date.parse(process.env.KH_TEST_NOW ?? '');
if (!Number.isNaN(start)) {
  const RealDate = Date;
  const offset = start - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
