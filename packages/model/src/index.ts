export * from './names';
export * from './address';
export * from './issues';
export * from './topology';
export * from './resolve';
export * from './validate';
export * from './observed';
export * from './steps';
export * from './shell-script';
export * from './edits';
export * from './document-edits';
export * from './protocol';
export * from './observed-patch';
export * from './rule-counters';
export * from './adopt';
export {
  describeHandRename,
  handRenameEdits,
  handRenameHow,
  handRenameOf,
  handRenamesAt,
  type HandRename,
} from './adopt-rename';
export * from './adopt-edit';
export * from './routing';
export * from './route-standing';
export * from './firewall';
export * from './firewall-args';
export * from './recover';
export * from './undo';
export * from './undo-keys';
export * from './duplicate-addresses';
export * from './undo-words';
export * from './pcap-format';
export * from './packet-decode';
export * from './protocol-capture';
export * from './path';
export * from './path-netfilter';
export * from './protocol-path';
export * from './link-effects';
export * from './protocol-terminal';
export * from './protocol-effects';
export * from './protocol-presenter';
export * from './latest-wins';
export * from './class-limits';
export * from './class-miniature';
export * from './protocol-class';
export * from './replace-document';
export * from './protocol-checkpoint';
export * from './checkpoint-holds';
export * from './clab-import';
export * from './clab-export';
export * from './brctl';
export * from './lesson';
export * from './lesson-goals';
export * from './lesson-parse';
export * from './protocol-lesson';
