namespace OfflineSync.Server.Storage;

/// <summary>
/// The SQL (SQLite and PostgreSQL alike) that cuts a page by a <see cref="PageBudget"/>: a window over the page's
/// candidate rows, of which only the key and size are read (<c>length</c>/<c>octet_length</c> of a stored value is read
/// from its header, not from the value), so only the rows that fit are then read whole.
/// </summary>
internal static class PageQuery
{
    /// <summary>
    /// Numbers the candidates (<c>n</c>), sums the sizes of the ones before each (<c>before</c>) and counts them
    /// (<c>total</c>). A candidate belongs to the page while <c>n</c> is within the row budget and <c>before</c> under the
    /// byte budget (so the first always does), and more follow the page when fewer than <c>total</c> belong to it.
    /// <paramref name="candidates"/> selects one row more than the row budget, ordered, with a <c>size</c> column, so a
    /// full page knows whether another follows.
    /// </summary>
    /// <param name="order">The column the candidates are ordered by.</param>
    /// <param name="candidates">The query of the candidates.</param>
    public static string Budgeted(string order, string candidates) => $"""
        SELECT c.*, ROW_NUMBER() OVER w AS n, COALESCE(SUM(c.size) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before, COUNT(*) OVER () AS total
        FROM ({candidates}) c WINDOW w AS (ORDER BY c.{order})
        """;
}
