/**
 * @module content/commands
 * Loads content/commands.json: the words that work as commands from anywhere.
 */
import { join } from 'node:path'
import { contentDir, parseFile } from './load.js'
import { Commands } from './schema.js'

export function commandsFile(dir = contentDir): Commands {
  return parseFile(Commands, join(dir, 'commands.json'))
}
