// Shared UI primitives of every capability's pages.
export { AsyncState, ErrorNotice } from './AsyncState';
export { Card } from './Card';
export { DataTable, type Column } from './DataTable';
export { Field } from './Field';
export { Select } from './Select';
export { useResource, type Resource } from './useResource';
