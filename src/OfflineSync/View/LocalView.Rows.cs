using System.Diagnostics.CodeAnalysis;

namespace OfflineSync;

/// <content>The server rows: found by key in constant time, walked in the server's list order.</content>
internal sealed partial class LocalView<TEntity>
{
    /// <summary>
    /// The view's server rows. A dictionary answers every lookup — an update looks its row up three times, a mapping
    /// once — and a sorted set of the keys gives the order the snapshot shows them in; only a new key walks the set.
    /// </summary>
    /// <remarks>Not thread-safe: the view uses it under its lock.</remarks>
    private sealed class RowTable(IComparer<string> order)
    {
        private readonly Dictionary<string, ServerRow<TEntity>> _byKey = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _order = new(order);

        public int Count => _byKey.Count;

        public ServerRow<TEntity> this[string key]
        {
            set
            {
                if (_byKey.TryAdd(key, value))
                {
                    _order.Add(key);
                }
                else
                {
                    _byKey[key] = value;
                }
            }
        }

        public bool TryGetValue(string key, [NotNullWhen(true)] out ServerRow<TEntity>? row) => _byKey.TryGetValue(key, out row);

        public ServerRow<TEntity>? GetValueOrDefault(string key) => _byKey.GetValueOrDefault(key);

        public bool ContainsKey(string key) => _byKey.ContainsKey(key);

        public bool Remove(string key) => Remove(key, out _);

        public bool Remove(string key, [NotNullWhen(true)] out ServerRow<TEntity>? row)
        {
            if (!_byKey.Remove(key, out row))
            {
                return false;
            }

            _order.Remove(key);
            return true;
        }

        public void Clear()
        {
            _byKey.Clear();
            _order.Clear();
        }

        /// <summary>Walks the rows in key order; do not change the table meanwhile.</summary>
        public IEnumerable<KeyValuePair<string, ServerRow<TEntity>>> InOrder()
        {
            foreach (string key in _order)
            {
                yield return new KeyValuePair<string, ServerRow<TEntity>>(key, _byKey[key]);
            }
        }
    }
}
