/** The fake Twilio REST API in its own process, so the campaign bench does not share a core with it. */
import { FakeTwilio } from '../test/helpers/fake-twilio.js'

const fake = await new FakeTwilio().start()
process.stdout.write(`${fake.baseUrl}\n`)
process.on('SIGTERM', () => process.exit(0))
