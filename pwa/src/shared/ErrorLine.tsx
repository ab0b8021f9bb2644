/** One line saying what went wrong, announced to screen readers; nothing when all is well. */
export function ErrorLine({ text }: { text: string | null | undefined }) {
  return text ? (
    <p className="error" role="alert">
      {text}
    </p>
  ) : null;
}
