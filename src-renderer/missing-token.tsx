/** Shown in serve mode when the page has no access token (renderer): how to get in. */
export function MissingToken() {
  return (
    <main className="gate" data-testid="missing-token">
      <div className="card gate-card">
        <h1>Access token needed</h1>
        <p>
          Open the URL that <code>flopscope serve</code> printed (it carries the access token).
        </p>
        <p className="note">
          The server only answers pages that present the token it generated at start-up, so other sites and other users of this machine cannot
          reach your data. The link looks like <code>http://127.0.0.1:PORT/#token=…</code>.
        </p>
      </div>
    </main>
  );
}
