// The error moved to the data layer, where the shared record log lives; kept
// here so `lib/judge` users import it as before.
export { OutputLockedError, type OutputLockedErrorOptions } from "../data/output_locked_error.ts";
