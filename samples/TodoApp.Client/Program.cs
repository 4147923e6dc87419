return 0; // The demo arrives with the sample issue.
