/** Command ids: a public contract (keybindings and other extensions use them). One home. */
export const Commands = {
  generate: 'gptImage.generate',
  setApiKey: 'gptImage.setApiKey',
  clearApiKey: 'gptImage.clearApiKey',
  showLog: 'gptImage.showLog',
  openSidebar: 'gptImage.openSidebar',
  editImage: 'gptImage.editImage',
  chooseModel: 'gptImage.chooseModel',
  showInfo: 'gptImage.showInfo',
  refine: 'gptImage.refine',
} as const;
