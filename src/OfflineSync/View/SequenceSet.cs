namespace OfflineSync;

/// <summary>
/// A small sorted set of queue sequences, kept as a value in the view's indexes: most keys have one pending change,
/// which it holds without allocating; more go into a sorted array.
/// </summary>
/// <remarks>A mutable struct: change it only through a reference into the dictionary that holds it.</remarks>
internal struct SequenceSet
{
    private long _single;
    private long[]? _items;
    private int _count;

    public readonly int Count => _count;

    public void Add(long sequence)
    {
        if (_items is null)
        {
            if (_count == 0)
            {
                _single = sequence;
                _count = 1;
                return;
            }

            if (_single == sequence)
            {
                return;
            }

            _items = new long[4];
            _items[0] = _single;
        }

        int at = Array.BinarySearch(_items, 0, _count, sequence);
        if (at >= 0)
        {
            return;
        }

        at = ~at;
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _count * 2);
        }

        Array.Copy(_items, at, _items, at + 1, _count - at);
        _items[at] = sequence;
        _count++;
    }

    public bool Remove(long sequence)
    {
        if (_items is null)
        {
            if (_count == 1 && _single == sequence)
            {
                _count = 0;
                return true;
            }

            return false;
        }

        int at = Array.BinarySearch(_items, 0, _count, sequence);
        if (at < 0)
        {
            return false;
        }

        _count--;
        Array.Copy(_items, at + 1, _items, at, _count - at);
        if (_count == 1)
        {
            _single = _items[0];
            _items = null;
        }

        return true;
    }

    /// <summary>Copies the sequences, in order, into a new array.</summary>
    public readonly long[] ToArray() => _items is null
        ? (_count == 0 ? [] : [_single])
        : _items.AsSpan(0, _count).ToArray();

    /// <summary>Enumerates the sequences in order; the set must not change meanwhile.</summary>
    public readonly Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates a <see cref="SequenceSet"/> without allocating.</summary>
    public struct Enumerator(SequenceSet set)
    {
        private readonly SequenceSet _set = set;
        private int _index = -1;

        public readonly long Current => _set._items is null ? _set._single : _set._items[_index];

        public bool MoveNext() => ++_index < _set._count;
    }
}
