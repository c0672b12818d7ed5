import type { ComponentChildren, HTMLAttributes } from 'preact';

/** A white panel; with a title, a section labelled by it. */
export function Card({
  title,
  titleId,
  children,
  class: extra,
  ...rest
}: { title?: ComponentChildren; titleId?: string; children?: ComponentChildren; class?: string } & Omit<
  HTMLAttributes<HTMLDivElement>,
  'title'
>) {
  return (
    <div class={extra ? `card ${extra}` : 'card'} aria-labelledby={title && titleId ? titleId : undefined} {...rest}>
      {title && <h2 id={titleId}>{title}</h2>}
      {children}
    </div>
  );
}
