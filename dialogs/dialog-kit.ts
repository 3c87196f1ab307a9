/**
 * @module dialogs/dialog-kit
 * The parts of botbuilder-dialogs this bot uses, each imported from its own file. The package's
 * index also loads every built-in prompt and, with them, Microsoft's text recognizers (4.6 MB of
 * number, date and choice grammars): about 0.3 s of every start-up, for a bot whose only prompt
 * is a numbered choice (dialogs/numbered-prompt.ts). Types still come from the index: they cost
 * nothing at run time.
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog.js'
export { Dialog, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog.js'
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js'
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog.js'
export { supportsSuggestedActions } from 'botbuilder-dialogs/lib/choices/channel.js'
export { findChoices } from 'botbuilder-dialogs/lib/choices/findChoices.js'
