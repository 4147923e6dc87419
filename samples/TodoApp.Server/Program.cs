return 0; // The reference server arrives with the server issue.
