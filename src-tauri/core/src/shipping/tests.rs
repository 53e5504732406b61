//! Shipments, B2 rows and tracking import.
