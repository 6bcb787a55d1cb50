export * from './names';
export * from './address';
export * from './issues';
export * from './topology';
export * from './resolve';
export * from './validate';
export * from './observed';
