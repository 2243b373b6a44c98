-- the test application's own Flyway migration: Keygate's schema must not stop it (it runs first)
CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(100) NOT NULL);
